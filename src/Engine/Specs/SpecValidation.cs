using System.Globalization;
using System.Text;

namespace Supervision.Engine;

/// <summary>OTP's spec checks (supervisor.erl's check_flags / check_childspec), gathering every violation.</summary>
internal static class SpecValidation
{
    /// <summary>Characters that would make a path or a trace line ambiguous.</summary>
    private const string ReservedIdCharacters = "/#:,[]";

    public static void CheckSupervisor(SupervisorSpec spec, string path, List<SpecViolation> violations)
    {
        if (!Enum.IsDefined(spec.Strategy))
        {
            violations.Add(new($"{path}.strategy", $"unknown strategy {(int)spec.Strategy}", "invalid_strategy"));
        }
        if (spec.Intensity < 0)
        {
            violations.Add(new($"{path}.intensity", $"must be an integer >= 0, got {spec.Intensity}", "invalid_intensity"));
        }
        if (spec.PeriodSeconds <= 0)
        {
            violations.Add(new($"{path}.period", $"must be an integer > 0, got {spec.PeriodSeconds}", "invalid_period"));
        }
        if (!Enum.IsDefined(spec.AutoShutdown))
        {
            violations.Add(new($"{path}.auto_shutdown", $"unknown auto_shutdown {(int)spec.AutoShutdown}", "invalid_auto_shutdown"));
        }
        spec.Backoff?.CheckFields(path, violations);
        if (spec.Children is null)
        {
            violations.Add(new($"{path}.children", "must be a list (it is null)", "invalid_child_spec"));
            return;
        }
        if (spec.Strategy == RestartStrategy.SimpleOneForOne && spec.Children.Count != 1)
        {
            violations.Add(new($"{path}.children", $"simple_one_for_one needs exactly one template child, got {spec.Children.Count}", "bad_start_spec"));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Children.Count; i++)
        {
            var child = spec.Children[i];
            if (child is null)
            {
                violations.Add(new(ChildField(path, i), "is null", "invalid_child_spec"));
                continue;
            }
            if (!string.IsNullOrEmpty(child.Id) && !seen.Add(child.Id))
            {
                violations.Add(new($"{ChildField(path, i)}.id", $"duplicate child id '{child.Id}'", "duplicate_child_name"));
            }
            var before = violations.Count;
            CheckChild(child, spec.AutoShutdown, "?", violations, recurse: false);
            for (var v = before; v < violations.Count; v++)
            {
                // Field names are built only for violations: validating a valid spec allocates little.
                violations[v] = violations[v] with { Field = ChildField(path, i) + violations[v].Field[1..] };
            }
            if (child.Supervisor is not null)
            {
                CheckSupervisor(child.Supervisor, $"{path}/{child.Id}", violations);
            }
        }
    }

    public static void CheckChild(ChildSpec child, AutoShutdown autoShutdown, string field, List<SpecViolation> violations, bool recurse)
    {
        if (string.IsNullOrEmpty(child.Id))
        {
            violations.Add(new($"{field}.id", "is missing or empty", "missing_id"));
        }
        else if (child.Id.AsSpan().IndexOfAny(ReservedIdCharacters) >= 0 || HasWhitespaceOrControl(child.Id))
        {
            violations.Add(new($"{field}.id", $"'{child.Id}' contains whitespace or one of the reserved characters {ReservedIdCharacters}", "invalid_child_spec"));
        }
        if (!Enum.IsDefined(child.Restart))
        {
            violations.Add(new($"{field}.restart", $"unknown restart type {(int)child.Restart}", "invalid_restart_type"));
        }
        if (child.Significant && autoShutdown == AutoShutdown.Never)
        {
            violations.Add(new($"{field}.significant", "a significant child needs auto_shutdown any_significant or all_significant", "bad_combination"));
        }
        if (child.Significant && child.Restart == RestartType.Permanent)
        {
            violations.Add(new($"{field}.significant", "a permanent child cannot be significant", "bad_combination"));
        }
        if (!Enum.IsDefined(child.Type))
        {
            violations.Add(new($"{field}.type", $"unknown child type {(int)child.Type}", "invalid_child_type"));
        }
        if (child.Shutdown is { } shutdown && (!Enum.IsDefined(shutdown.Kind) || shutdown.TimeoutMs < 0))
        {
            violations.Add(new($"{field}.shutdown", $"must be brutal_kill, infinity or milliseconds >= 0, got {shutdown}", "invalid_shutdown"));
        }
        if (recurse && child.Supervisor is not null)
        {
            CheckSupervisor(child.Supervisor, $"{field}/{child.Id}", violations);
        }
    }

    private static string ChildField(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}.children[{index}]");

    public static string Describe(string path, IReadOnlyList<SpecViolation> violations)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"invalid supervisor spec '{path}': {violations.Count} violation{(violations.Count == 1 ? "" : "s")}");
        foreach (var violation in violations)
        {
            text.Append("\n  - ").Append(violation);
        }
        return text.ToString();
    }

    private static bool HasWhitespaceOrControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }
}
