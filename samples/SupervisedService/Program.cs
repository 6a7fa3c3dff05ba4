// A supervised service: a hosted supervision tree whose "ingest" worker crashes every three seconds and
// is restarted by its rest_for_one supervisor, which also restarts the "indexer" started after it.
// Run: dotnet run --project samples/SupervisedService [seconds]     (Ctrl+C stops the tree newest first)
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Supervision.Runtime;
using Supervision.Runtime.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddSimpleConsole(options => options.SingleLine = true);

builder.Services.AddSupervisionTree(services =>
{
    var logger = services.GetRequiredService<ILogger<Program>>();
    var pipeline = new SupervisorDefinition("pipeline",
        ChildDefinition.Worker("ingest", async context =>
        {
            logger.LogInformation("ingest incarnation {Incarnation} running", context.Incarnation);
            await Task.Delay(TimeSpan.FromSeconds(3), context.TimeProvider, context.Stopping);
            throw new IOException("upstream connection reset"); // a crash: the supervisor restarts it
        }),
        ChildDefinition.Worker("indexer", context => Task.Delay(Timeout.Infinite, context.Stopping)))
    {
        Strategy = RestartStrategy.RestForOne,
        Intensity = 5,
        PeriodSeconds = 10,
    };
    return new SupervisorDefinition("app",
        ChildDefinition.Worker("api", context => Task.Delay(Timeout.Infinite, context.Stopping)),
        ChildDefinition.Supervisor(pipeline));
});

using var host = builder.Build();
var seconds = args.Length > 0 && int.TryParse(args[0], out var value) ? value : -1;
using var lifetime = seconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
await host.RunAsync(lifetime.Token);
