using System.Diagnostics.CodeAnalysis;

namespace Supervision.Engine;

/// <summary>The kind of an <see cref="ExitReason"/>, following OTP's classification.</summary>
public enum ExitReasonKind
{
    /// <summary><c>normal</c>.</summary>
    Normal,
    /// <summary><c>shutdown</c>.</summary>
    Shutdown,
    /// <summary><c>shutdown:&lt;term&gt;</c>, OTP's <c>{shutdown, Term}</c>.</summary>
    ShutdownWithTerm,
    /// <summary><c>killed</c>: an abnormal reason.</summary>
    Killed,
    /// <summary>Any other token: an abnormal reason.</summary>
    Abnormal,
}

/// <summary>
/// Why a child or a supervisor ended. <c>normal</c>, <c>shutdown</c> and <c>shutdown:x</c> are the
/// "normal" reasons that a transient child is not restarted for; <c>killed</c> and every other token
/// are abnormal. Creating the common reasons allocates nothing.
/// </summary>
public readonly struct ExitReason : IEquatable<ExitReason>
{
    private readonly string? _term;

    /// <summary>Rebuilds a reason from its parts (see <see cref="RawTerm"/>); the parts come from a valid reason.</summary>
    internal ExitReason(ExitReasonKind kind, string? term)
    {
        Kind = kind;
        _term = term;
    }

    /// <summary>The reason's kind.</summary>
    public ExitReasonKind Kind { get; }

    /// <summary>The term of <c>shutdown:x</c> or the token of an abnormal reason; empty for the others.</summary>
    public string Term => _term ?? string.Empty;

    /// <summary>The stored term, null for the reasons without one: lets a decision store a reason unpacked.</summary>
    internal string? RawTerm => _term;

    /// <summary><c>normal</c>.</summary>
    public static ExitReason Normal => new(ExitReasonKind.Normal, null);

    /// <summary><c>shutdown</c>.</summary>
    public static ExitReason Shutdown => new(ExitReasonKind.Shutdown, null);

    /// <summary><c>killed</c>.</summary>
    public static ExitReason Killed => new(ExitReasonKind.Killed, null);

    /// <summary>True for <c>normal</c>, <c>shutdown</c> and <c>shutdown:x</c>: a transient child is not restarted.</summary>
    public bool IsNormal => Kind is ExitReasonKind.Normal or ExitReasonKind.Shutdown or ExitReasonKind.ShutdownWithTerm;

    /// <summary><c>shutdown:&lt;term&gt;</c>.</summary>
    public static ExitReason ShutdownWith(string term)
    {
        ValidateToken(term, nameof(term));
        return new ExitReason(ExitReasonKind.ShutdownWithTerm, term);
    }

    /// <summary>An abnormal reason with the given token (for example <c>boom</c>).</summary>
    /// <exception cref="ArgumentException">The token is empty, has whitespace, or is one of the reserved words.</exception>
    public static ExitReason Abnormal(string token)
    {
        ValidateToken(token, nameof(token));
        if (token is "normal" or "shutdown" or "killed" || token.StartsWith("shutdown:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{token}' is not an abnormal reason; use Parse.", nameof(token));
        }
        return new ExitReason(ExitReasonKind.Abnormal, token);
    }

    /// <summary>Parses a scenario token: <c>normal</c>, <c>shutdown</c>, <c>shutdown:x</c>, <c>killed</c> or any other token.</summary>
    /// <exception cref="ArgumentException">The token is empty or contains whitespace.</exception>
    public static ExitReason Parse(string token)
    {
        if (!TryParse(token, out var reason, out var error))
        {
            throw new ArgumentException(error, nameof(token));
        }
        return reason;
    }

    /// <summary>Parses a scenario token without throwing.</summary>
    public static bool TryParse(string? token, out ExitReason reason, [NotNullWhen(false)] out string? error)
    {
        reason = default;
        error = CheckToken(token);
        if (error is not null)
        {
            return false;
        }
        reason = token switch
        {
            "normal" => Normal,
            "shutdown" => Shutdown,
            "killed" => Killed,
            _ when token!.StartsWith("shutdown:", StringComparison.Ordinal) && token.Length > "shutdown:".Length
                => new ExitReason(ExitReasonKind.ShutdownWithTerm, token["shutdown:".Length..]),
            _ => new ExitReason(ExitReasonKind.Abnormal, token),
        };
        return true;
    }

    private static void ValidateToken(string? token, string paramName)
    {
        var error = CheckToken(token);
        if (error is not null)
        {
            throw new ArgumentException(error, paramName);
        }
    }

    private static string? CheckToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "an exit reason must be a non-empty token";
        }
        foreach (var c in token)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"an exit reason must be a single token without whitespace: '{token}'";
            }
        }
        return null;
    }

    /// <summary>The scenario token.</summary>
    public override string ToString() => Kind switch
    {
        ExitReasonKind.Normal => "normal",
        ExitReasonKind.Shutdown => "shutdown",
        ExitReasonKind.Killed => "killed",
        ExitReasonKind.ShutdownWithTerm => "shutdown:" + _term,
        _ => _term ?? string.Empty,
    };

    /// <inheritdoc />
    public bool Equals(ExitReason other) => Kind == other.Kind && string.Equals(_term, other._term, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ExitReason other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _term is null ? 0 : StringComparer.Ordinal.GetHashCode(_term));

    /// <summary>Equality.</summary>
    public static bool operator ==(ExitReason left, ExitReason right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ExitReason left, ExitReason right) => !left.Equals(right);
}
