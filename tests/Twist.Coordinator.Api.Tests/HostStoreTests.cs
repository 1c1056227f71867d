using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Api.Tests.Infrastructure;
using Twist.Coordinator.Storage;

namespace Twist.Coordinator.Api.Tests;

/// <summary>The host's store choice: <c>Twist:Coordinator:Store</c> and <c>Twist:Coordinator:PostgreSql:*</c>, validated at start-up.</summary>
public sealed class HostStoreTests
{
    private const string Password = "pg-password-not-for-messages";

    [Fact]
    public async Task PostgreSql_without_a_connection_string_fails_at_start_naming_both_keys()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => CoordinatorHost.StartAsync(new Dictionary<string, string?> { ["Twist:Coordinator:Store"] = "PostgreSql" }));

        Assert.Contains("Twist:Coordinator:PostgreSql:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:TwistCoordinator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_store_fails_at_start_listing_the_choices()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => CoordinatorHost.StartAsync(new Dictionary<string, string?> { ["Twist:Coordinator:Store"] = "Oracle" }));

        Assert.Contains("'Oracle'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sqlite", error.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSql", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Twist:Coordinator:PostgreSql:ConnectionString", $"Host=db;Password={Password};Not A Keyword=1", "ConnectionString")]
    [InlineData("Twist:Coordinator:PostgreSql:Schema", "bad schema", "PostgreSql:Schema")]
    public async Task An_invalid_PostgreSql_setting_fails_at_start_without_echoing_the_password(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Twist:Coordinator:Store"] = "postgresql",
            ["Twist:Coordinator:PostgreSql:ConnectionString"] = $"Host=db.invalid;Password={Password}",
            [key] = value,
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorHost.StartAsync(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_PostgreSql_key_fails_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Coordinator:Store"] = "PostgreSql",
            ["Twist:Coordinator:PostgreSql:ConnectionString"] = "Host=db.invalid",
            ["Twist:Coordinator:PostgreSql:Shema"] = "x",
        }));

        Assert.Contains("Shema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_stays_the_default_and_the_store_keys_do_not_reach_the_engine_options()
    {
        await using var host = await CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Coordinator:PostgreSql:Schema"] = "ignored_while_sqlite",
        });

        var store = host.App.Services.GetRequiredService<ITransactionStore>();
        Assert.True(store.IsSingleWriter);
        Assert.IsNotAssignableFrom<ITransactionLeaseStore>(store);
    }

    [Fact]
    public async Task The_connection_string_can_come_from_ConnectionStrings_TwistCoordinator()
    {
        await using var app = Twist.Coordinator.Host.TwistCoordinatorHost.Build(
        [
            "--Twist:Coordinator:Store=PostgreSql",
            "--ConnectionStrings:TwistCoordinator=Host=db.invalid;Database=twist",
            "--Twist:Api:AllowAnonymous=true",
        ]);

        // Building does not connect; the store is chosen and would open at start.
        Assert.IsAssignableFrom<ITransactionLeaseStore>(app.Services.GetRequiredService<ITransactionStore>());
    }
}
