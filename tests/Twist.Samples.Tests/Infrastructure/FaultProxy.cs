using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Twist.Samples.Tests.Infrastructure;

/// <summary>
/// A reverse proxy (YARP's forwarder) in front of one participant process. Callers' Try calls and the coordinator's
/// Confirm/Cancel both go through it, because the participant builds its links from
/// <c>Twist:Participant:PublicBaseAddress</c> = this proxy. While <see cref="FaultsEnabled"/> it answers some requests
/// 503 without forwarding them, forwards some and then loses the answer (503: the participant did the work, the
/// sender must retry), and delays some past the coordinator's call timeout. A killed participant shows as 502; a
/// restarted one on a new port is reached through <see cref="Retarget"/>.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpMessageInvoker invoker;
    private readonly Random random;
    private volatile Uri target;
    private int rejected;
    private int lost;
    private int delayed;

    private FaultProxy(WebApplication app, Uri target, int seed)
    {
        this.app = app;
        this.target = target;
        random = new Random(seed);
        invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
    }

    public Uri Address => new(app.Urls.First());

    public bool FaultsEnabled { get; set; } = true;

    public string Counts => $"{Volatile.Read(ref rejected)} rejected, {Volatile.Read(ref lost)} answers lost, {Volatile.Read(ref delayed)} delayed";

    public static async Task<FaultProxy> StartAsync(Uri target, int seed)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var proxy = new FaultProxy(app, target, seed);
        app.Map("/{**path}", proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    /// <summary>Sends further requests to a restarted participant.</summary>
    public void Retarget(Uri newTarget) => target = newTarget;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        invoker.Dispose();
    }

    private async Task ForwardAsync(HttpContext context, IHttpForwarder forwarder)
    {
        var (fault, delay) = NextFault();
        switch (fault)
        {
            case Fault.Reject:
                Interlocked.Increment(ref rejected);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            case Fault.Delay:
                Interlocked.Increment(ref delayed);
                await Task.Delay(delay, context.RequestAborted);
                break;
            case Fault.LoseAnswer:
                Interlocked.Increment(ref lost);
                break;
        }

        await forwarder.SendAsync(context, target.AbsoluteUri, invoker, ForwarderRequestConfig.Empty, fault == Fault.LoseAnswer ? LoseAnswer.Instance : HttpTransformer.Default);
    }

    private (Fault Fault, TimeSpan Delay) NextFault()
    {
        if (!FaultsEnabled)
        {
            return (Fault.None, TimeSpan.Zero);
        }

        lock (random)
        {
            var roll = random.Next(100);
            return roll switch
            {
                < 4 => (Fault.Reject, TimeSpan.Zero),
                < 8 => (Fault.LoseAnswer, TimeSpan.Zero),
                < 13 => (Fault.Delay, TimeSpan.FromMilliseconds(random.Next(100, 2500))),
                _ => (Fault.None, TimeSpan.Zero),
            };
        }
    }

    private enum Fault
    {
        None,
        Reject,
        LoseAnswer,
        Delay,
    }

    /// <summary>The participant's answer is dropped on the way back: the sender sees 503, though the work was done.</summary>
    private sealed class LoseAnswer : HttpTransformer
    {
        public static readonly LoseAnswer Instance = new();

        public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.Clear();
            return ValueTask.FromResult(false); // do not copy the body
        }
    }
}
