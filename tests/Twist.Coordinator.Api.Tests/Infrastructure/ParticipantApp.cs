using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Api.Tests.Infrastructure;

/// <summary>
/// Tiny participant services on a real Kestrel at 127.0.0.1: every request to <c>/p/{name}</c> is recorded and answered
/// 200 (or with the status set for that name), which is what an idempotent Confirm/Cancel endpoint does.
/// </summary>
public sealed class ParticipantApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private ParticipantApp(WebApplication app)
    {
        this.app = app;
        BaseAddress = new Uri(app.Urls.Single());
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<ParticipantCall> Calls { get; } = new();

    public ConcurrentDictionary<string, int> StatusByName { get; } = new();

    public static async Task<ParticipantApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ParticipantApp? self = null;
        app.Map("/p/{name}", (HttpContext context, string name) =>
        {
            self!.Calls.Enqueue(new ParticipantCall(
                name,
                context.Request.Method,
                context.Request.Headers["Twist-Transaction-ID"].ToString(),
                context.Request.Headers["Twist-Phase"].ToString(),
                context.Request.Headers["Twist-Phrase"].ToString(),
                context.Request.Headers["Twist-Task-ID"].ToString()));
            return Results.StatusCode(self.StatusByName.TryGetValue(name, out var status) ? status : 200);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        self = new ParticipantApp(app);
        return self;
    }

    /// <summary>Returns a link URI unique to the calling test.</summary>
    public Uri Link(string name) => new(BaseAddress, $"/p/{name}");

    public IReadOnlyList<ParticipantCall> CallsFor(string name) => Calls.Where(c => c.Name == name).ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}

/// <summary>One call a participant received.</summary>
public sealed record ParticipantCall(string Name, string Method, string Tid, string Phase, string PhaseCompat, string TaskId);
