using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Nats.Tests.Infrastructure;

/// <summary>A tiny real participant (Kestrel on loopback): answers every PUT/DELETE on /p/{tid} with 200 and records it.</summary>
public sealed class Participant : IAsyncDisposable
{
    private readonly WebApplication app;

    private Participant(WebApplication app) => this.app = app;

    public ConcurrentQueue<(string Method, string Tid)> Calls { get; } = new();

    public int Port { get; private set; }

    public static async Task<Participant> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var participant = new Participant(builder.Build());
        participant.app.MapMethods("/p/{tid}", ["PUT", "DELETE"], (HttpContext context, string tid) =>
        {
            participant.Calls.Enqueue((context.Request.Method, tid));
            return Results.Ok();
        });
        await participant.app.StartAsync();
        participant.Port = new Uri(participant.app.Urls.First()).Port;
        return participant;
    }

    public Uri Link(string tid) => new($"http://127.0.0.1:{Port}/p/{tid}");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
