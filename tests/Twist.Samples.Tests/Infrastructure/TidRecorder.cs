using System.Collections.Concurrent;
using Twist.Protocol;

namespace Twist.Samples.Tests.Infrastructure;

/// <summary>
/// Sits inside the caller's participant HttpClients, after the Twist propagation handler, and records which
/// transaction tried at which participant: the tids the fault test must then find decided everywhere.
/// </summary>
internal sealed class TidRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> participants = new(StringComparer.Ordinal);

    public int Count => participants.Count;

    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> Snapshot() =>
        participants.ToDictionary(p => p.Key, p => (IReadOnlyCollection<string>)[.. p.Value.Keys], StringComparer.Ordinal);

    public DelegatingHandler For(string participant) => new Handler(this, participant);

    private sealed class Handler(TidRecorder recorder, string participant) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.Headers.TryGetValues(TwistHeaders.TransactionId, out var values))
            {
                recorder.participants.GetOrAdd(values.Single(), _ => new(StringComparer.Ordinal))[participant] = true;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
