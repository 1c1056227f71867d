using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Api.Tests.Infrastructure;
using Twist.Coordinator.AspNetCore;
using Twist.Coordinator.Hosting;
using static Twist.Coordinator.Api.Tests.Infrastructure.Http;

namespace Twist.Coordinator.Api.Tests;

/// <summary>Start-up behaviour of the host: configuration binding, secure defaults, anonymous mode.</summary>
public sealed class HostTests(CoordinatorFixture fixture)
{
    [Fact]
    public void Coordinator_and_api_options_are_bound_from_configuration()
    {
        var coordinator = fixture.Host.App.Services.GetRequiredService<IOptions<TwistCoordinatorOptions>>().Value;
        Assert.Equal(["localhost", "127.0.0.1"], coordinator.AllowedParticipantHosts);
        Assert.Equal(TimeSpan.FromSeconds(5), coordinator.DecisionWaitTimeout);

        var api = fixture.Host.App.Services.GetRequiredService<IOptions<TwistApiOptions>>().Value;
        Assert.Equal(2, api.ApiKeys.Count);
        Assert.Equal(["operator"], api.ApiKeys[1].Roles);
        Assert.Equal(TwistApiOptions.DefaultMaxRequestBodySize, api.MaxRequestBodySize);
        Assert.DoesNotContain(TestKeys.Caller, api.ApiKeys[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Shutdown_timeout_defaults_to_thirty_seconds()
    {
        var options = fixture.Host.App.Services.GetRequiredService<IOptions<HostOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    [InlineData("01:00:00")]
    [InlineData("soon")]
    [InlineData("99:99:99")]
    public async Task An_unusable_shutdown_timeout_fails_at_start_naming_the_key(string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => CoordinatorHost.StartAsync(new Dictionary<string, string?> { ["Twist:Host:ShutdownTimeout"] = value }));

        Assert.Contains("Twist:Host:ShutdownTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_key_fails_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(
            () => CoordinatorHost.StartAsync(new Dictionary<string, string?> { ["Twist:Host:ShutdownTimout"] = "00:00:10" }));

        Assert.Contains("ShutdownTimout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_refuses_to_start_without_authentication()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorHost.StartAsync(withKeys: false));
        Assert.Contains("AllowAnonymous", error.Message, StringComparison.Ordinal);
        Assert.Contains("Twist__Api__ApiKeys__0__Key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Twist:Api:ApiKeys:0:Key", "short", "at least 16")]
    [InlineData("Twist:Api:ApiKeys:0:Roles:0", "admin", "roles are")]
    [InlineData("Twist:Api:MaxRequestBodySize", "10", "MaxRequestBodySize")]
    [InlineData("Twist:Api:Unknown", "x", "Unknown")]
    public async Task Invalid_api_configuration_fails_at_start_naming_the_key(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => CoordinatorHost.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.Operator, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_mode_must_be_explicit_and_logs_a_warning()
    {
        var logs = new ListLoggerProvider();
        await using var host = await CoordinatorHost.StartAsync(
            new Dictionary<string, string?> { ["Twist:Api:AllowAnonymous"] = "true" },
            withKeys: false,
            configure: b => b.Logging.AddProvider(logs));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 2000 && e.Level == LogLevel.Warning);

        using var client = host.CreateClient(apiKey: null);
        var (begin, _, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", "{}");
        Assert.Equal(HttpStatusCode.Created, begin);
        var (admin, _, _) = await SendAsync(client, HttpMethod.Get, "/api/v1/admin/audit");
        Assert.Equal(HttpStatusCode.OK, admin);
    }

    [Fact]
    public async Task Logs_never_contain_api_keys()
    {
        var logs = new ListLoggerProvider();
        await using var host = await CoordinatorHost.StartAsync(configure: b => b.Logging.AddProvider(logs).AddFilter<ListLoggerProvider>(null, LogLevel.Trace));
        using (var good = host.CreateClient(TestKeys.Operator))
        {
            await SendAsync(good, HttpMethod.Get, "/api/v1/admin/audit");
        }

        using (var bad = host.CreateClient("wrong-key-that-must-not-be-logged"))
        {
            await SendAsync(bad, HttpMethod.Post, "/api/v1/transactions", "{}");
        }

        Assert.Contains(logs.Entries, e => e.EventId.Id == 2002);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(TestKeys.Operator, StringComparison.Ordinal)
            || e.Message.Contains(TestKeys.Caller, StringComparison.Ordinal)
            || e.Message.Contains("wrong-key-that-must-not-be-logged", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_creates_the_sqlite_folder()
    {
        var path = fixture.Host.App.Services.GetRequiredService<IOptions<TwistCoordinatorOptions>>().Value.SqlitePath;
        Assert.True(Directory.Exists(Path.GetDirectoryName(path)));
    }
}
