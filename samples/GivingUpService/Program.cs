// The root's end is the process's business: a hosted tree whose "gateway" worker crashes every 200 ms. Its root
// allows 2 restarts in 10 s; the third crash makes it give up, and the host, the next supervisor up, stops the
// application with exit code 1, so that systemd (Restart=on-failure) or Kubernetes restarts the process.
// Run: dotnet run --project samples/GivingUpService; echo "exit code $?"
// Other policies, from configuration (the tree's named options):
//   dotnet run --project samples/GivingUpService -- --Supervision:Trees:payments:RootExit=RestartTree
//   (3 tree restarts after 1, 2 and 4 s, then the policy escalates to stopping the application)
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Runtime;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddSimpleConsole(options => options.SingleLine = true);

builder.Services.AddSupervisionTree("payments", new SupervisorDefinition("payments",
        ChildDefinition.Worker("ledger", context => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping)),
        ChildDefinition.Worker("gateway", async context =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), context.TimeProvider, context.Stopping);
            throw new IOException("the payment gateway refused the connection");
        }))
    {
        Intensity = 2,
        PeriodSeconds = 10,
    })
    .BindConfiguration("Supervision:Trees:payments");   // RootExit, ExitCode, StartTimeout, KillGrace, Intensity, ...
builder.Services.AddHealthChecks().AddSupervisionTrees();

using var host = builder.Build();
await host.StartAsync();
await host.WaitForShutdownAsync();   // returns once the policy (or Ctrl+C) has stopped the application

var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GivingUpService");
foreach (var (name, entry) in health.Entries)
{
    logger.LogInformation("Health of {Check} at exit: {Status}: {Description}", name, entry.Status, entry.Description);
}
logger.LogInformation("Exiting with code {ExitCode}", Environment.ExitCode);
