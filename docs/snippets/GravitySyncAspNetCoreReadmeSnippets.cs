using Gravity.Sync.Rules;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Gravity.Sync.AspNetCore/README.md.</summary>
public static class GravitySyncAspNetCoreReadmeSnippets
{
    public static WebApplication Map(WebApplicationBuilder builder, GravityRuleSet rules, string secretFromYourStore)
    {
        #region snippet: gravity-sync-aspnetcore-readme-usage
        builder.Services.AddGravitySync(o => o.DataDirectory = "data").UseRules(rules);
        var app = builder.Build();
        app.MapGravitySyncOperatorApi("/gravity", apiKey: secretFromYourStore); // X-Api-Key on every call
        #endregion
        return app;
    }
}
