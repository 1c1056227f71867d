using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Twist.Participants;
using Twist.Participants.Hosting;
using Twist.Protocol;

namespace Twist.Client.Tests.Participants.Infrastructure;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 hosting the wallet and audit participants through the documented manual path
/// (<c>AddTwistParticipant(new TccParticipantRegistration…)</c>, <c>MapTwistParticipants()</c>), with a guard in <see cref="GuardDatabase"/>.
/// </summary>
internal sealed class ParticipantHost : IAsyncDisposable
{
    public const string BearerToken = "participant-test-bearer-token";
    public const string HmacKey = "participant-test-hmac-key-0123456789abcdef";

    private ParticipantHost(WebApplication app, GuardDatabase database, WalletProbe probe, TimeProvider time)
    {
        App = app;
        Database = database;
        Probe = probe;
        Time = time;
        Address = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = Address };
    }

    public WebApplication App { get; }

    public GuardDatabase Database { get; }

    public WalletProbe Probe { get; }

    public TimeProvider Time { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public static string WalletRoute => "/twist/participants/" + WalletParticipant.Name;

    public static async Task<ParticipantHost> StartAsync(
        GuardDatabase database,
        Action<TwistParticipantOptions>? configure = null,
        FakeTimeProvider? time = null,
        Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var probe = new WalletProbe();
        builder.Services.AddSingleton(probe);
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        builder.Services.AddTwistParticipant(WalletParticipant.Registration());
        builder.Services.AddTwistParticipant(AuditParticipant.Registration());
        var participants = builder.Services.AddTwistParticipantOptions(o =>
        {
            o.CoordinatorCredential.BearerToken = BearerToken;
            o.CoordinatorCredential.HmacKey = HmacKey;

            // The tests sweep by hand (SweepAsync); the background loop only runs its first pass at start-up.
            o.SweepInterval = TimeSpan.FromHours(1);
            configure?.Invoke(o);
        });
        database.Configure(participants);
        customize?.Invoke(builder);

        var app = builder.Build();
        app.MapTwistParticipants();
        await app.StartAsync();
        return new ParticipantHost(app, database, probe, time ?? TimeProvider.System);
    }

    public static string NewTid() => "t-" + Guid.NewGuid().ToString("N");

    public Task<HttpResponseMessage> TryAsync(string tid, DebitRequest request, string? route = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, route ?? WalletRoute) { Content = JsonContent.Create(request) };
        message.Headers.Add(TwistHeaders.TransactionId, tid);
        return Http.SendAsync(message);
    }

    public Task<HttpResponseMessage> ConfirmAsync(string tid, string? route = null) => Http.SendAsync(Signed(HttpMethod.Put, tid, route));

    public Task<HttpResponseMessage> CancelAsync(string tid, string? route = null) => Http.SendAsync(Signed(HttpMethod.Delete, tid, route));

    /// <summary>Builds a Confirm/Cancel exactly as the coordinator sends it: bearer token, HMAC over the link, both phase headers.</summary>
    /// <param name="epoch">The coordinator epoch to send as Twist-Epoch and sign; 0 sends none (a single-instance coordinator).</param>
    public HttpRequestMessage Signed(
        HttpMethod method, string tid, string? route = null, string bearer = BearerToken, string hmacKey = HmacKey, long? timestamp = null, long epoch = 0)
    {
        var uri = new Uri(Address, (route ?? WalletRoute) + "/" + tid);
        var phase = method == HttpMethod.Put ? TwistHeaders.PhaseConfirm : TwistHeaders.PhaseCancel;
        var message = new HttpRequestMessage(method, uri);
        message.Headers.Add(TwistHeaders.TransactionId, tid);
        message.Headers.Add(TwistHeaders.Phase, phase);
        message.Headers.Add(TwistHeaders.PhaseCompat, phase);
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        var ts = timestamp ?? Time.GetUtcNow().ToUnixTimeSeconds();
        message.Headers.Add(TwistHeaders.SignatureTimestamp, ts.ToString(CultureInfo.InvariantCulture));
        message.Headers.Add(TwistHeaders.Signature, TwistSignature.Compute(Encoding.UTF8.GetBytes(hmacKey), method.Method, uri.AbsoluteUri, tid, phase, ts, epoch));
        if (epoch > 0)
        {
            message.Headers.Add(TwistHeaders.Epoch, epoch.ToString(CultureInfo.InvariantCulture));
        }

        return message;
    }

    /// <summary>Runs one sweep of the expiry/retention worker now.</summary>
    public Task<int> SweepAsync() =>
        App.Services.GetServices<IHostedService>().OfType<GuardSweeper>().Single().SweepOnceAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
