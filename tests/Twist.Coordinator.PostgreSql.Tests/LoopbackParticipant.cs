using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>A participant on loopback (Kestrel) that records every Confirm (PUT) and Cancel (DELETE) and answers <see cref="Status"/>.</summary>
public sealed class LoopbackParticipant : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackParticipant(WebApplication app) => _app = app;

    /// <summary>Gets or sets the HTTP status every call is answered with; 503 plays a participant that is down.</summary>
    public int Status { get; set; } = 200;

    public ConcurrentQueue<(string Method, string Tid)> Calls { get; } = new();

    public Uri Link(string tid) => new($"{_app.Urls.First()}/p/{tid}");

    public static async Task<LoopbackParticipant> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var participant = new LoopbackParticipant(app);
        app.MapMethods("/p/{tid}", ["PUT", "DELETE"], (HttpContext context, string tid) =>
        {
            participant.Calls.Enqueue((context.Request.Method, tid));
            return Results.StatusCode(participant.Status);
        });
        await app.StartAsync();
        return participant;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
