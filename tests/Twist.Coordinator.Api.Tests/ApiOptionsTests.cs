using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist.Coordinator.AspNetCore;
using Twist.Coordinator.AspNetCore.Internal;

namespace Twist.Coordinator.Api.Tests;

/// <summary>Registration and validation of <see cref="TwistApiOptions"/> (no I/O).</summary>
public sealed class ApiOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<TwistApiOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddTwistCoordinatorApi();
        services.AddTwistCoordinatorApi(configure);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Adding_twice_registers_once_and_code_overrides_configuration()
    {
        using var provider = Build(
            new() { ["Twist:Api:MaxRequestBodySize"] = "2048", ["Twist:Api:AllowAnonymous"] = "true" },
            o => o.MaxRequestBodySize = 4096);
        Assert.Single(provider.GetServices<TwistApiMarkerService>());
        var options = provider.GetRequiredService<IOptions<TwistApiOptions>>().Value;
        Assert.Equal(4096, options.MaxRequestBodySize);
        Assert.True(options.AllowAnonymous);
    }

    [Fact]
    public void Keys_and_roles_bind_from_environment_style_configuration()
    {
        using var provider = Build(new()
        {
            ["Twist:Api:ApiKeys:0:Name"] = "svc",
            ["Twist:Api:ApiKeys:0:Key"] = "0123456789abcdef-key",
            ["Twist:Api:ApiKeys:0:Roles:0"] = "caller",
            ["Twist:Api:ApiKeys:0:Roles:1"] = "operator",
        });
        var key = Assert.Single(provider.GetRequiredService<IOptions<TwistApiOptions>>().Value.ApiKeys);
        Assert.Equal(["caller", "operator"], key.Roles);
        Assert.NotNull(provider.GetRequiredService<ApiKeyStore>().Find("0123456789abcdef-key"));
        Assert.Null(provider.GetRequiredService<ApiKeyStore>().Find("0123456789abcdef-kez"));
    }

    [Theory]
    [InlineData("Authority=https://login.example.com|SigningKey=" + TestSigningKey, "exactly one of Authority")]
    [InlineData("Authority=http://login.example.com", "not HTTPS")]
    [InlineData("Authority=not a uri", "not an absolute")]
    [InlineData("SigningKey=short", "at least 32")]
    [InlineData("SigningKey=" + TestSigningKey, "Issuer is empty")]
    public void Jwt_settings_are_validated(string settings, string expected)
    {
        var options = new TwistApiOptions { Jwt = new TwistJwtOptions { Audience = "aud" } };
        foreach (var pair in settings.Split('|'))
        {
            var (key, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            _ = key switch
            {
                "Authority" => options.Jwt.Authority = value,
                "SigningKey" => options.Jwt.SigningKey = value,
                _ => throw new ArgumentException(key),
            };
        }

        var result = new TwistApiOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSigningKey, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_key_names_and_keys_are_refused_without_printing_the_keys()
    {
        var options = new TwistApiOptions();
        options.ApiKeys.Add(new TwistApiKey { Name = "a", Key = "same-key-0123456789" });
        options.ApiKeys.Add(new TwistApiKey { Name = "A", Key = "same-key-0123456789" });
        var result = new TwistApiOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("names must be unique", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("must be unique", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("same-key-0123456789", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_jwt_only_configuration_passes()
    {
        var options = new TwistApiOptions { Jwt = new TwistJwtOptions { Authority = "https://login.example.com", Audience = "twist" } };
        Assert.True(new TwistApiOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Mapping_without_the_services_says_what_to_call()
    {
        var bare = WebApplication.CreateSlimBuilder().Build();
        var noApi = Assert.Throws<InvalidOperationException>(() => bare.MapTwistCoordinator());
        Assert.Contains("AddTwistCoordinatorApi", noApi.Message, StringComparison.Ordinal);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddTwistCoordinatorApi(o => o.AllowAnonymous = true);
        var noCoordinator = Assert.Throws<InvalidOperationException>(() => builder.Build().MapTwistCoordinator());
        Assert.Contains("AddTwistCoordinator(", noCoordinator.Message, StringComparison.Ordinal);
    }

    private const string TestSigningKey = "0123456789abcdef0123456789abcdef-signing";
}
