using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;

namespace Twist.Client.Tests.Participants;

/// <summary>Start-up configuration: security by default, validation naming the keys, binding from Twist:Participant.</summary>
public sealed class ParticipantOptionsTests
{
    [Fact]
    public async Task Start_up_fails_without_a_coordinator_credential_unless_explicitly_allowed()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => ParticipantHost.StartAsync(db, o =>
        {
            o.CoordinatorCredential.BearerToken = null;
            o.CoordinatorCredential.HmacKey = null;
        }));

        Assert.Contains("Twist:Participant:CoordinatorCredential:BearerToken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AllowUnauthenticatedCoordinator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowing_an_unauthenticated_coordinator_logs_a_warning_with_a_stable_event_id()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(
            db,
            o =>
            {
                o.CoordinatorCredential.BearerToken = null;
                o.CoordinatorCredential.HmacKey = null;
                o.AllowUnauthenticatedCoordinator = true;
            },
            customize: b => b.Logging.AddFakeLogging());

        var warning = Assert.Single(host.App.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3100);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("UnauthenticatedCoordinator", warning.Id.Name);

        using var cancel = new HttpRequestMessage(HttpMethod.Delete, ParticipantHost.WalletRoute + "/" + ParticipantHost.NewTid());
        using var response = await host.Http.SendAsync(cancel, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_up_fails_without_a_guard_database()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistParticipant(WalletParticipant.Registration());
        builder.Services.AddTwistParticipantOptions(o => o.CoordinatorCredential.BearerToken = "token");
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("GuardConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_invalid_value_is_reported_at_once_with_its_key_and_value()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => ParticipantHost.StartAsync(db, o =>
        {
            o.CoordinatorCredential.HmacKey = "short";
            o.ReservationLifetime = TimeSpan.Zero;
            o.SweepBatchSize = 0;
            o.PublicBaseAddress = new Uri("ftp://wallet");
            o.MaxReservationLifetime = TimeSpan.FromDays(8);
        }));

        Assert.Contains("HmacKey has 5 characters", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReservationLifetime is 00:00:00", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SweepBatchSize is 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PublicBaseAddress is 'ftp://wallet/'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxReservationLifetime is 8.00:00:00", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GuardRetention is 7.00:00:00", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_bind_from_the_Twist_Participant_section_and_unknown_keys_are_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"twist-participant-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Twist:Participant:GuardConnectionString"] = $"Data Source={path}",
            ["Twist:Participant:CoordinatorCredential:BearerToken"] = "from-config",
            ["Twist:Participant:ReservationLifetime"] = "00:02:00",
            ["Twist:Participant:PublicBaseAddress"] = "https://wallet.example",
        });
        builder.Services.AddTwistParticipant(WalletParticipant.Registration());
        await using (var app = builder.Build())
        {
            var options = app.Services.GetRequiredService<IOptions<TwistParticipantOptions>>().Value;
            Assert.Equal("from-config", options.CoordinatorCredential.BearerToken);
            Assert.Equal(TimeSpan.FromMinutes(2), options.ReservationLifetime);
            Assert.Equal(new Uri("https://wallet.example"), options.PublicBaseAddress);
            Assert.DoesNotContain("from-config", options.ToString(), StringComparison.Ordinal);
        }

        var typo = WebApplication.CreateSlimBuilder();
        typo.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Twist:Participant:ReservationLifetim"] = "00:02:00" });
        typo.Services.AddTwistParticipantOptions();
        await using var typoApp = typo.Build();
        Assert.Throws<InvalidOperationException>(() => typoApp.Services.GetRequiredService<IOptions<TwistParticipantOptions>>().Value);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}
