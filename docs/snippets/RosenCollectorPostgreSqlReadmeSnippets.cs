namespace Twist.Docs.Snippets;

/// <summary>The code of src/Rosen.Collector.PostgreSql/README.md.</summary>
public static class RosenCollectorPostgreSqlReadmeSnippets
{
    public static void Register(WebApplicationBuilder builder)
    {
        #region snippet: rosen-collector-postgresql-readme-usage
        builder.Services.AddRosenCollector();
        builder.Services.AddRosenPostgreSqlSpanStore("Host=db;Username=rosen;Password=…;Database=rosen", schema: "rosen");
        #endregion
    }
}
