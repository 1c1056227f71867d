using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// Moves the durable consumer's ack floor to the position every database has committed. JetStream only accepts an
/// acknowledgement for a delivered message, so this pulls deliveries (headers only) up to the position and acks the
/// last one with ack-all semantics. A crash before the ack leaves the floor behind; the server then redelivers, and
/// nothing the views have not committed is ever acknowledged.
/// </summary>
internal sealed class DurableAcknowledger(INatsJSConsumer consumer) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SortedList<ulong, INatsJSMsg<byte[]>> _held = [];
    private ulong _fetchedUpTo;
    private ulong _acknowledged;

    public static ConsumerConfig Config(GravityNatsOptions options, NatsLane lane) => new(lane.DurableName)
    {
        FilterSubject = lane.FilterSubject,
        DeliverPolicy = ConsumerConfigDeliverPolicy.All,
        AckPolicy = ConsumerConfigAckPolicy.All,
        AckWait = options.AckWait,
        HeadersOnly = true,
        MaxAckPending = 100_000,
        Description = "Gravity.Sync: acknowledged up to the position every view database has committed",
    };

    public void Dispose() => _gate.Dispose();

    /// <summary>Acknowledges up to <paramref name="position"/>.</summary>
    /// <returns><see langword="true"/> when an acknowledgement was sent.</returns>
    public async Task<bool> AcknowledgeAsync(long position, CancellationToken cancellationToken)
    {
        var target = (ulong)position;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (target <= _acknowledged)
            {
                return false;
            }

            while (_fetchedUpTo < target)
            {
                var batch = (int)Math.Min(1000UL, target - _fetchedUpTo);
                var got = 0;
                await foreach (var msg in consumer.FetchNoWaitAsync(new NatsJSFetchOpts { MaxMsgs = batch }, NatsRawSerializer<byte[]>.Default, cancellationToken).ConfigureAwait(false))
                {
                    got++;
                    var sequence = msg.Metadata!.Value.Sequence.Stream;
                    _held[sequence] = msg; // a redelivery replaces the earlier copy: its reply subject is the live one
                    _fetchedUpTo = Math.Max(_fetchedUpTo, sequence);
                }

                if (got == 0)
                {
                    break; // the server has nothing more to deliver (yet): ack what we hold
                }
            }

            var last = -1;
            for (var i = 0; i < _held.Count && _held.Keys[i] <= target; i++)
            {
                last = i;
            }

            if (last < 0)
            {
                return false;
            }

            await _held.Values[last].AckAsync(new AckOpts { DoubleAck = true }, cancellationToken).ConfigureAwait(false);
            _acknowledged = _held.Keys[last];
            for (var i = last; i >= 0; i--)
            {
                _held.RemoveAt(i);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
