using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.IntegrationTests.Infrastructure;

/// <summary>
/// A real participant HTTP server on loopback (Kestrel). Every PUT/DELETE on /p/{name}/{tid} is recorded and answered
/// by the behaviour scripted for {name} (200 by default). It can be stopped and restarted on the same port to play
/// a participant that goes down and comes back.
/// </summary>
public sealed class ParticipantServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<ParticipantCall, int>> behaviours = new();
    private WebApplication? app;

    private ParticipantServer()
    {
    }

    public int Port { get; private set; }

    public ConcurrentQueue<ParticipantCall> Calls { get; } = new();

    public static async Task<ParticipantServer> StartAsync(int port = 0)
    {
        var server = new ParticipantServer();
        await server.StartOnAsync(port);
        return server;
    }

    public Uri Link(string name, string tid) => new($"http://127.0.0.1:{Port}/p/{name}/{tid}");

    public void Behave(string name, Func<ParticipantCall, int> behaviour) => behaviours[name] = behaviour;

    /// <summary>Fails the first <paramref name="failures"/> calls for <paramref name="name"/> with <paramref name="status"/>, then succeeds.</summary>
    public void FailFirst(string name, int failures, int status = 503)
    {
        var count = 0;
        Behave(name, _ => Interlocked.Increment(ref count) <= failures ? status : 200);
    }

    public IReadOnlyList<ParticipantCall> CallsFor(string name, string tid) =>
        Calls.Where(c => c.Name == name && c.Tid == tid).ToArray();

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public Task RestartAsync() => StartOnAsync(Port);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartOnAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        app = builder.Build();
        app.MapMethods("/p/{name}/{tid}", ["PUT", "DELETE", "POST"], (HttpContext context, string name, string tid) =>
        {
            var call = new ParticipantCall(
                name,
                tid,
                context.Request.Method,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                DateTimeOffset.UtcNow);
            Calls.Enqueue(call);
            var status = behaviours.TryGetValue(name, out var behaviour) ? behaviour(call) : 200;
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        Port = new Uri(app.Urls.First()).Port;
    }
}

/// <summary>One call a participant received.</summary>
public sealed record ParticipantCall(string Name, string Tid, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
{
    public bool IsConfirm => Method == "PUT";

    public bool IsCancel => Method == "DELETE";
}
