namespace Twist.Docs.Snippets;

/// <summary>The code of src/Rosen.Collector/README.md.</summary>
public static class RosenCollectorReadmeSnippets
{
    public static WebApplication Register(WebApplicationBuilder builder)
    {
        #region snippet: rosen-collector-readme-usage
        builder.Services.AddRosenCollector(o => o.ConnectionString = "Data Source=data/spans.db"); // binds Rosen:Collector
        var app = builder.Build();
        app.MapRosenCollector().RequireAuthorization("agents");   // returns a convention builder for HTTP and gRPC
        #endregion
        return app;
    }
}
