using Xunit;

namespace Supervision.Engine.Tests.EngineRules;

/// <summary>Exit reasons classify exactly as OTP's: normal, shutdown and {shutdown,_} are normal.</summary>
public sealed class ExitReasonTests
{
    [Theory]
    [InlineData("normal", true, ExitReasonKind.Normal)]
    [InlineData("shutdown", true, ExitReasonKind.Shutdown)]
    [InlineData("shutdown:bye", true, ExitReasonKind.ShutdownWithTerm)]
    [InlineData("killed", false, ExitReasonKind.Killed)]
    [InlineData("boom", false, ExitReasonKind.Abnormal)]
    [InlineData("shutdown:", false, ExitReasonKind.Abnormal)]
    public void Tokens_parse_and_classify_like_OTP(string token, bool isNormal, ExitReasonKind kind)
    {
        // Checks: parse gives the kind, IsNormal matches OTP's transient rule, and the token round-trips.
        var reason = ExitReason.Parse(token);
        Assert.Equal(kind, reason.Kind);
        Assert.Equal(isNormal, reason.IsNormal);
        Assert.Equal(token, reason.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public void Bad_tokens_are_rejected(string token)
    {
        // Checks: an empty or spaced reason is refused with a message.
        Assert.False(ExitReason.TryParse(token, out _, out var error));
        Assert.NotNull(error);
    }
}
