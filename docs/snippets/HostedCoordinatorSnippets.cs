namespace Twist.Docs.Snippets;

public static class HostedCoordinatorSnippets
{
    public static WebApplication Build(string[] args)
    {
        #region snippet: hosted-in-your-app
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddTwistCoordinator(o => o.UseSqlite("data/twist-coordinator.db"))
            .AddTwistCoordinatorApi(api => api.ApiKeys.Add(new() { Name = "checkout", Key = builder.Configuration["CheckoutApiKey"]!, Roles = { "caller" } }));
        var app = builder.Build();
        app.MapTwistCoordinator(); // REST under /api/v1 and gRPC twist.v1.Coordinator, authenticated
        #endregion
        return app;
    }
}
