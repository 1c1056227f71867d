using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist.Client.Internal;
using Twist.Client.Remote;
using Twist.Client.Tests.Fakes;

namespace Twist.Client.Tests;

public sealed class TwistClientOptionsTests
{
    [Fact]
    public void Defaults_are_valid_for_an_embedded_coordinator()
    {
        var result = new TwistClientOptionsValidator().Validate(null, new TwistClientOptions());
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Reports_every_problem_with_the_key_and_value()
    {
        var options = new TwistClientOptions
        {
            Coordinator = TwistCoordinatorKind.Grpc,
            DefaultTimeout = TimeSpan.FromMilliseconds(5),
            RequestTimeout = TimeSpan.FromHours(1),
        };

        var result = new TwistClientOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(3, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Twist:Client:Address is not set", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("DefaultTimeout is 00:00:00.0050000", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("RequestTimeout is 01:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void Rejects_a_non_http_address()
    {
        var result = new TwistClientOptionsValidator().Validate(null, new TwistClientOptions
        {
            Coordinator = TwistCoordinatorKind.Rest,
            Address = new Uri("ftp://coordinator.test"),
        });

        Assert.Contains("must be an absolute http or https URI", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_redacts_the_api_key()
    {
        var text = new TwistClientOptions { ApiKey = "s3cr3t-key" }.ToString();

        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
        Assert.Contains("ApiKey=***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_without_a_registered_coordinator_fails_with_a_clear_message()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTwistClient();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ITwistClient>());

        Assert.Contains("no ITwistCoordinator is registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddTwistCoordinator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_uses_the_registered_coordinator_and_AddTwistClient_is_idempotent()
    {
        var fake = new FakeCoordinator();
        var services = new ServiceCollection().AddLogging().AddSingleton<ITwistCoordinator>(fake);
        services.AddTwistClient();
        services.AddTwistClient(o => o.DefaultTimeout = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ITwistClient));
        Assert.Same(fake, provider.GetRequiredService<ITwistClient>().Coordinator);
        Assert.Equal(TimeSpan.FromSeconds(5), provider.GetRequiredService<IOptions<TwistClientOptions>>().Value.DefaultTimeout);
    }

    [Fact]
    public void Binds_the_Twist_Client_section_and_code_overrides_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twist:Client:Coordinator"] = "Rest",
            ["Twist:Client:Address"] = "http://127.0.0.1:5080",
            ["Twist:Client:ApiKey"] = "from-config",
            ["Twist:Client:DefaultTimeout"] = "00:00:12",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddTwistClient(o => o.ApiKey = "from-code");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TwistClientOptions>>().Value;
        Assert.Equal(TwistCoordinatorKind.Rest, options.Coordinator);
        Assert.Equal(new Uri("http://127.0.0.1:5080"), options.Address);
        Assert.Equal(TimeSpan.FromSeconds(12), options.DefaultTimeout);
        Assert.Equal("from-code", options.ApiKey);
        Assert.IsType<RestTwistCoordinator>(provider.GetRequiredService<ITwistClient>().Coordinator);
    }

    [Fact]
    public void An_unknown_configuration_key_is_an_error()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twist:Client:Adress"] = "http://127.0.0.1:5080",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddTwistClient();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<TwistClientOptions>>().Value);
        Assert.Contains("Adress", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grpc_registers_a_gRPC_coordinator()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTwistClient(o =>
        {
            o.Coordinator = TwistCoordinatorKind.Grpc;
            o.Address = new Uri("http://127.0.0.1:5080");
        });
        using var provider = services.BuildServiceProvider();

        Assert.IsType<GrpcTwistCoordinator>(provider.GetRequiredService<ITwistClient>().Coordinator);
    }
}
