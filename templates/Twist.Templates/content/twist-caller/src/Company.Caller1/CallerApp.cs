using Company.Caller1.Orders;

namespace Company.Caller1;

/// <summary>Composes the service, so the tests run exactly what Program.cs runs.</summary>
public static class CallerApp
{
    /// <param name="args">The command-line arguments.</param>
    /// <param name="configure">Adjusts the builder before the app is built (the tests use it), or null.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Twist:Client says which coordinator to use and its API key; options are validated at start-up.
        builder.Services.AddTwistClient();
#if (coordinator == "embedded")
        var coordinator = builder.Configuration.GetSection("Twist:Coordinator");
        builder.Services.AddTwistCoordinator(o => coordinator.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true));
#endif

        builder.Services.AddOptions<CheckoutOptions>()
            .BindConfiguration(CheckoutOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Requests made while a transaction is current carry its headers, and each participant's Try answer
        // registers that participant with the transaction.
        builder.Services.AddHttpClient<OrderCheckout>().AddTwistTransactionPropagation();

        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapOrderEndpoints();
        return app;
    }
}
