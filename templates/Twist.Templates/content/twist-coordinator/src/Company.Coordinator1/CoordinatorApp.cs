namespace Company.Coordinator1;

/// <summary>Composes the coordinator host, so the tests run exactly what Program.cs runs.</summary>
public static class CoordinatorApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var coordinator = builder.Configuration.GetSection("Twist:Coordinator");
#if (database == "postgresql")
        var connectionString = builder.Configuration.GetConnectionString("Twist")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Twist (e.g. ConnectionStrings__Twist=Host=db;Database=twist;Username=twist;Password=...).");
        var schema = builder.Configuration["Twist:PostgreSql:Schema"] ?? "twist";
#else
        EnsureFolderOf(coordinator["SqlitePath"]);
#endif

        builder.Services
            .AddTwistCoordinator(o =>
            {
                // Unknown keys are errors, so a typo in appsettings.json fails the start instead of being ignored.
                coordinator.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true);
#if (database == "postgresql")
                o.UsePostgreSql(connectionString, pg => pg.Schema = schema); // instances sharing the schema share transactions
#endif
            })
            .AddTwistCoordinatorApi();     // Twist:Api: API keys or JWT; the host refuses to start without one
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapHealthChecks("/healthz");
        app.MapTwistCoordinator();         // REST under /api/v1 and gRPC twist.v1.Coordinator
        return app;
    }
#if (database != "postgresql")

    private static void EnsureFolderOf(string? sqlitePath)
    {
        // SQLite creates the file but not its folder.
        if (!string.IsNullOrWhiteSpace(sqlitePath) && Path.GetDirectoryName(Path.GetFullPath(sqlitePath)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
    }
#endif
}
