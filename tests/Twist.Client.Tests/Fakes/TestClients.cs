using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Twist.Client.Internal;

namespace Twist.Client.Tests.Fakes;

internal static class TestClients
{
    public static ITwistClient Create(ITwistCoordinator coordinator, ILogger<TwistClient>? logger = null) =>
        new TwistClient(coordinator, Options.Create(new TwistClientOptions()), logger ?? NullLogger<TwistClient>.Instance);
}

/// <summary>The innermost handler: records the request it got and answers with a canned response.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public HttpRequestMessage? LastRequest { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequest = request;
        return Task.FromResult(answer(request));
    }
}
