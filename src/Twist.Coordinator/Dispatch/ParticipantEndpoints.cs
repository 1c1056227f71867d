using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Storage;

namespace Twist.Coordinator.Dispatch;

/// <summary>
/// Notices when a participant endpoint (scheme, host and port) that was down answers again, and wakes every delivery
/// waiting out its back-off for it, so a backlog drains as soon as the participant is back instead of one transaction
/// per timer tick. dtm and Seata retry each transaction on its own schedule (or on fixed one-second sweeps), so after
/// an outage the last transaction waits up to the longest back-off; here it waits for the first successful call.
/// </summary>
/// <remarks>
/// An endpoint counts as down after <see cref="DownAfterFailures"/> transient failures in a row with no answer in
/// between. Requiring a run of failures keeps one transaction that fails on its own (say, a handler bug for its data)
/// from being woken by every other transaction's success, which would spend its retry budget in a tight loop.
/// </remarks>
internal sealed class ParticipantEndpoints(ILogger<ParticipantEndpoints> logger) : IDisposable
{
    /// <summary>How many transient failures in a row mark an endpoint down.</summary>
    public const int DownAfterFailures = 3;

    private readonly ConcurrentDictionary<string, Endpoint> endpoints = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the endpoint a participant's deliveries go to.</summary>
    public Endpoint For(ParticipantTarget target) =>
        endpoints.GetOrAdd(target.Uri.Scheme + "://" + target.Uri.Authority, static (key, log) => new Endpoint(key, log), logger);

    public void Dispose()
    {
        foreach (var endpoint in endpoints.Values)
        {
            endpoint.Dispose();
        }
    }

    /// <summary>One participant endpoint's health, as this instance's deliveries see it.</summary>
    internal sealed class Endpoint(string name, ILogger logger) : IDisposable
    {
        private readonly Lock gate = new();
        private CancellationTokenSource recovered = new();
        private int failuresInARow;

        public string Name => name;

        /// <summary>Gets whether the last <see cref="DownAfterFailures"/> or more calls all failed.</summary>
        public bool IsDown
        {
            get
            {
                lock (gate)
                {
                    return failuresInARow >= DownAfterFailures;
                }
            }
        }

        /// <summary>Gets a token that is cancelled when the endpoint next comes back after being down.</summary>
        public CancellationToken Recovered
        {
            get
            {
                lock (gate)
                {
                    return recovered.Token;
                }
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                recovered.Dispose();
            }
        }

        /// <summary>Records how one call went; an answer after a run of failures wakes the waiting deliveries.</summary>
        public void Report(DeliveryOutcome outcome)
        {
            if (outcome == DeliveryOutcome.LeaseLapsed)
            {
                return; // no call was made
            }

            CancellationTokenSource? wake = null;
            int failures;
            lock (gate)
            {
                if (outcome == DeliveryOutcome.Transient)
                {
                    failuresInARow++;
                    return;
                }

                // Any answer (done, heuristic, superseded) means the endpoint is reachable and serving.
                failures = failuresInARow;
                failuresInARow = 0;
                if (failures >= DownAfterFailures)
                {
                    wake = recovered;
                    recovered = new CancellationTokenSource();
                }
            }

            if (wake is not null)
            {
                logger.EndpointRecovered(name, failures);
                // Not disposed: waiters may still be linking to its token; without a timer or wait handle it holds nothing.
                wake.Cancel();
            }
        }
    }
}
