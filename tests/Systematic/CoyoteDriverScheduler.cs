using Microsoft.Coyote.Random;
using Microsoft.Coyote.Runtime;
using Supervision.Runtime.Scheduling;

namespace Supervision.Systematic.Tests;

/// <summary>
/// <see cref="ThreadPoolVirtualTimeScheduler"/> with the driver's own items under Coyote's control too:
/// before each item the driver runs (a scenario step applied concurrently with others, the wait for the
/// pool) it offers Coyote a scheduling point, so that pool work can run between two steps, and it lets
/// Coyote choose which ready item runs next, so that same-instant steps race in every order.
/// </summary>
internal sealed class CoyoteDriverScheduler : ThreadPoolVirtualTimeScheduler
{
    private readonly Generator _choices = Generator.Create();

    protected override int ChooseNext(IReadOnlyList<WorkItem> ready)
    {
        SchedulingPoint.Interleave();
        return RunOnPool(ready, ready.Count == 1 ? 0 : _choices.NextInteger(ready.Count));
    }
}
