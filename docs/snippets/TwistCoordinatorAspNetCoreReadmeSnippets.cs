namespace Twist.Docs.Snippets;

/// <summary>The code of src/Twist.Coordinator.AspNetCore/README.md.</summary>
public static class TwistCoordinatorAspNetCoreReadmeSnippets
{
    public static void Run(string[] args)
    {
        #region snippet: twist-coordinator-aspnetcore-readme-usage
        var builder = WebApplication.CreateBuilder(args);
        builder.Services
            .AddTwistCoordinator(o => o.UseSqlite("data/twist.db"))   // the engine (Twist.Coordinator)
            .AddTwistCoordinatorApi();                                // binds Twist:Api, auth, gRPC
        var app = builder.Build();
        app.UseExceptionHandler();   // optional: problem+json for exceptions thrown outside the Twist handlers
        app.MapTwistCoordinator();
        app.Run();
        #endregion
    }
}
