using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Company.Sync1;

/// <summary>Composes the worker, so the tests run exactly what Program.cs runs.</summary>
public static class SyncApp
{
    public static IHost Build(string[] args)
    {
        // appsettings.json and rules/ are copied next to the program, so it finds them from any working directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var orders = builder.Configuration.GetConnectionString("Orders")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Orders: the orders service's SQLite database, whose gravity_outbox this worker relays.");

        // Gravity:Sync in appsettings.json sets the data folder and timings; unknown keys are start-up errors.
        builder.Services.AddGravitySync(o =>
            {
                o.RulesFiles.Add(Path.Combine(AppContext.BaseDirectory, "rules", "rules.json"));
                o.DatabasesFile = Path.Combine(AppContext.BaseDirectory, "rules", "databases.json");
            })
            .AddGeneratedProjections()       // the [Projection] rules of Events.cs, validated together with rules.json
            .AddSqliteOutboxRelay(orders);   // events the orders service wrote in its own transactions
        return builder.Build();
    }
}
