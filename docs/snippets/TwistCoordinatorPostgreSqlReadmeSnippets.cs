namespace Twist.Docs.Snippets;

/// <summary>The code of src/Twist.Coordinator.PostgreSql/README.md.</summary>
public static class TwistCoordinatorPostgreSqlReadmeSnippets
{
    public static void Register(WebApplicationBuilder builder)
    {
        #region snippet: twist-coordinator-postgresql-readme-usage
        builder.Services.AddTwistCoordinator(o => o.UsePostgreSql(
            builder.Configuration.GetConnectionString("twist")!,   // e.g. Host=db;Database=app;Username=twist;Password=…
            pg => pg.Schema = "twist"));                            // optional; "twist" is the default
        #endregion
    }
}
