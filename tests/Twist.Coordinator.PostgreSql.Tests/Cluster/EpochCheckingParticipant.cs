using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Twist.Protocol;

namespace Twist.Coordinator.PostgreSql.Tests.Cluster;

/// <summary>
/// A participant on loopback that fences epochs as the SDK's guard does: it keeps the highest <c>Twist-Epoch</c> seen
/// per transaction and answers a lower one 412 with its own in the header. While <see cref="Down"/> it answers 503.
/// Every call is recorded with its epoch, time and answer.
/// </summary>
internal sealed class EpochCheckingParticipant : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, long> highest = new(StringComparer.Ordinal);

    private EpochCheckingParticipant(WebApplication app) => this.app = app;

    public volatile bool Down;

    public ConcurrentQueue<Call> Calls { get; } = new();

    public Uri Link(string tid) => new($"{app.Urls.First()}/p/{tid}");

    public static async Task<EpochCheckingParticipant> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var participant = new EpochCheckingParticipant(app);
        app.MapMethods("/p/{tid}", ["PUT", "DELETE"], (HttpContext context, string tid) => participant.Answer(context, tid));
        await app.StartAsync();
        return participant;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private IResult Answer(HttpContext context, string tid)
    {
        var epoch = long.Parse(context.Request.Headers[TwistHeaders.Epoch].ToString(), CultureInfo.InvariantCulture);
        int status;
        long seen;
        lock (highest)
        {
            seen = highest.GetValueOrDefault(tid);
            if (Down)
            {
                status = 503;
            }
            else if (epoch < seen)
            {
                status = 412;
            }
            else
            {
                highest[tid] = seen = epoch;
                status = 200;
            }
        }

        Calls.Enqueue(new Call(tid, epoch, DateTime.UtcNow, status));
        if (status == 412)
        {
            context.Response.Headers[TwistHeaders.Epoch] = seen.ToString(CultureInfo.InvariantCulture);
        }

        return Results.StatusCode(status);
    }

    public sealed record Call(string Tid, long Epoch, DateTime At, int Status);
}
