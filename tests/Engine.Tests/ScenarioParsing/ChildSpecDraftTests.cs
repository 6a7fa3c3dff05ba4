using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Engine.Tests.ScenarioParsing;

public sealed class ChildSpecDraftTests
{
    [Theory]
    [InlineData("{}", "missing_id")]
    [InlineData("{\"restart\": \"always\"}", "missing_id")]
    [InlineData("{\"id\": \"a\", \"restart\": \"always\"}", "invalid_restart_type")]
    [InlineData("{\"id\": \"a\", \"restart\": 1}", "invalid_restart_type")]
    [InlineData("{\"id\": \"a\", \"restart\": \"always\", \"significant\": true, \"type\": \"x\"}", "invalid_restart_type")]
    [InlineData("{\"id\": \"a\", \"restart\": \"transient\", \"significant\": true}", "bad_combination")]
    [InlineData("{\"id\": \"a\", \"significant\": true}", "bad_combination")]
    [InlineData("{\"id\": \"a\", \"significant\": \"yes\"}", "invalid_significant")]
    [InlineData("{\"id\": \"a\", \"significant\": \"yes\", \"type\": \"x\"}", "invalid_significant")]
    [InlineData("{\"id\": \"a\", \"type\": \"process\"}", "invalid_child_type")]
    [InlineData("{\"id\": \"a\", \"type\": \"worker\", \"strategy\": \"one_for_one\"}", "invalid_child_type")]
    [InlineData("{\"id\": \"a\", \"type\": \"x\", \"shutdown\": -1}", "invalid_child_type")]
    [InlineData("{\"id\": \"a\", \"shutdown\": -1}", "invalid_shutdown")]
    [InlineData("{\"id\": \"a\", \"shutdown\": 1.5}", "invalid_shutdown")]
    [InlineData("{\"id\": \"a\", \"shutdown\": \"later\"}", "invalid_shutdown")]
    public void Under_auto_shutdown_never_the_first_failure_in_OTPs_order_gives_the_token(string json, string token)
    {
        // Checks check_childspec's order: id, restart, significant (never, permanent, boolean), type, shutdown; later faults never mask earlier ones.
        Assert.False(ChildSpecDraft.Parse(json).TryBuild(AutoShutdown.Never, out var spec, out var error));
        Assert.Null(spec);
        Assert.Equal(token, error);
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"significant\": true}", "bad_combination")]
    [InlineData("{\"id\": \"a\", \"restart\": \"permanent\", \"significant\": true}", "bad_combination")]
    [InlineData("{\"id\": \"a\", \"restart\": \"temporary\", \"significant\": 1}", "invalid_significant")]
    public void Under_auto_shutdown_a_significant_child_must_not_be_permanent(string json, string token)
    {
        // Checks the second bad_combination (significant and permanent) once auto_shutdown allows significant children.
        Assert.False(ChildSpecDraft.Parse(json).TryBuild(AutoShutdown.AnySignificant, out _, out var error));
        Assert.Equal(token, error);
    }

    [Theory]
    [InlineData("{\"id\": 7}", "invalid_child_spec")]
    [InlineData("{\"id\": \"a/b\"}", "invalid_child_spec")]
    [InlineData("{\"id\": \"\"}", "missing_id")]
    [InlineData("{\"id\": \"p\", \"strategy\": \"one_for_some\"}", "invalid_strategy")]
    [InlineData("{\"id\": \"p\", \"strategy\": \"one_for_one\", \"intensity\": -1}", "invalid_intensity")]
    [InlineData("{\"id\": \"p\", \"strategy\": \"one_for_one\", \"period\": 0}", "invalid_period")]
    [InlineData("{\"id\": \"p\", \"strategy\": \"one_for_one\", \"auto_shutdown\": \"soon\"}", "invalid_auto_shutdown")]
    [InlineData("{\"id\": \"p\", \"children\": {}}", "invalid_child_spec")]
    [InlineData("{\"id\": \"p\", \"children\": [\"w\"]}", "invalid_child_spec")]
    [InlineData("{\"id\": \"p\", \"children\": [{\"id\": \"w\", \"restart\": \"x\"}]}", "invalid_restart_type")]
    [InlineData("{\"id\": \"p\", \"children\": [{\"id\": \"w\"}, {\"id\": \"w\"}]}", "duplicate_child_name")]
    [InlineData("{\"id\": \"p\", \"strategy\": \"simple_one_for_one\", \"children\": []}", "bad_start_spec")]
    [InlineData("{\"id\": \"p\", \"children\": [{\"id\": \"w\", \"restart\": \"transient\", \"significant\": true}]}", "bad_combination")]
    public void Ids_that_cannot_name_a_child_and_invalid_nested_supervisors_are_rejected(string json, string token)
    {
        // Checks the rules beyond check_childspec: a string id usable in paths, and a nested supervisor's flags and children.
        Assert.False(ChildSpecDraft.Parse(json).TryBuild(AutoShutdown.Never, out _, out var error));
        Assert.Equal(token, error);
    }

    [Fact]
    public void A_valid_worker_spec_builds_with_defaults_and_ignores_unknown_keys()
    {
        // Checks a valid worker: defaults filled in, shutdown kept, significant allowed under auto_shutdown, extra keys ignored as OTP does.
        var draft = ChildSpecDraft.Parse("{\"id\": \"audit\", \"restart\": \"temporary\", \"significant\": true, \"shutdown\": 0, \"modules\": \"dynamic\"}");
        Assert.True(draft.TryBuild(AutoShutdown.AllSignificant, out var spec, out var error));
        Assert.Null(error);
        Assert.Equal(new ChildSpec("audit") { Restart = RestartType.Temporary, Significant = true, Shutdown = ShutdownPolicy.Timeout(0) }, spec);
        Assert.Equal("\"dynamic\"", draft.Field("modules")!.RawText);
    }

    [Fact]
    public void A_valid_supervisor_spec_builds_its_nested_tree()
    {
        // Checks that a spec with strategy and children becomes a supervisor child with a nested SupervisorSpec.
        var draft = ChildSpecDraft.Parse("{\"id\": \"pool\", \"strategy\": \"simple_one_for_one\", \"intensity\": 0, \"period\": 10, \"children\": [{\"id\": \"w\", \"restart\": \"temporary\"}]}");
        Assert.True(draft.TryBuild(AutoShutdown.Never, out var spec, out _));
        Assert.Equal((ChildType.Supervisor, ChildType.Supervisor), (spec.Type, spec.EffectiveType));
        var nested = spec.Supervisor!;
        Assert.Equal((RestartStrategy.SimpleOneForOne, 0, 10, AutoShutdown.Never), (nested.Strategy, nested.Intensity, nested.PeriodSeconds, nested.AutoShutdown));
        Assert.Equal(("w", RestartType.Temporary), (nested.Children[0].Id, nested.Children[0].Restart));
    }

    [Fact]
    public void A_draft_must_be_a_json_object()
    {
        // Checks that a non-object spec is refused when the draft is made (the scenario reader reports it with its position).
        var error = Assert.Throws<ScenarioFormatException>(() => ChildSpecDraft.Parse("[1]", "spec.json"));
        Assert.Equal("spec.json:1:1: a child spec must be an object, got an array", error.Message);
    }
}
