using System.Globalization;
using Gravity.Sync.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// The stream as a source synchronizer instances share. Not partitioned, this instance reads the whole stream as one
/// lane. Partitioned (<see cref="GravityNatsOptions.Partitions"/>), instances claim partitions through leases in a
/// JetStream key-value bucket: a claim is a key <c>&lt;consumer&gt;.claims.&lt;p&gt;</c> created only if absent and
/// renewed by compare-and-set on its revision; the bucket's age limit makes an unrenewed claim (a killed instance)
/// lapse, and each instance's presence key <c>&lt;consumer&gt;.members.&lt;id&gt;</c> lets all of them agree on a fair
/// share (partitions / instances, rounded up).
/// </summary>
/// <remarks>
/// JetStream consumers do not shard by key on their own, and a shared pull consumer would hand one key's events to
/// several instances. Subjects carry the key's partition instead, so each partition is one filtered, ordered lane; the
/// claim makes one instance its reader. An instance releases a partition only after its pipelines committed (the
/// hand-over), then deletes the claim; renewing runs apart from that, so a long hand-over never lets claims lapse.
/// </remarks>
internal sealed class NatsSharedSource : IDynamicPartitionSource, IAsyncDisposable
{
    private readonly NatsConnections _connections;
    private readonly GravityNatsOptions _options;
    private readonly NatsJetStreamEventSource _wholeStream;
    private readonly NatsInstruments _instruments;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _kvGate = new(1, 1);
    private readonly Dictionary<int, Claim> _claims = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly string _instance;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPartitionAssignmentHandler? _handler;
    private INatsKVStore? _store;
    private Task _renewing = Task.CompletedTask;
    private Task _balancing = Task.CompletedTask;
    private TimeSpan _ttl;
    private bool _wholeStreamAssigned;
    private int _members = 1;
    private int _disposed;

    public NatsSharedSource(NatsConnections connections, IOptions<GravityNatsOptions> options, NatsJetStreamEventSource wholeStream, NatsInstruments instruments, TimeProvider clock, ILogger<NatsSharedSource> logger)
    {
        _connections = connections;
        _options = options.Value;
        _wholeStream = wholeStream;
        _instruments = instruments;
        _clock = clock;
        _logger = logger;
        _instance = _options.InstanceId ?? string.Create(CultureInfo.InvariantCulture, $"{Sanitize(Environment.MachineName)}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
    }

    public string Name => _options.Partitions > 0 ? $"nats:{_options.StreamName} ({_options.Partitions} partitions)" : _wholeStream.Name;

    private string MemberKey => $"{_options.ConsumerName}.members.{_instance}";

    private TimeSpan Interval => TimeSpan.FromTicks(_ttl.Ticks / 3);

    public async Task StartAsync(IPartitionAssignmentHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        if (_options.Partitions == 0)
        {
            // One ordered stream: this instance reads all of it.
            await handler.AssignAsync([_wholeStream], cancellationToken).ConfigureAwait(false);
            _wholeStreamAssigned = true;
            return;
        }

        var js = new NatsJSContext(_connections.Main);
        await NatsStreams.EnsureAsync(js, _options.StreamName, _options.SubjectPrefix + ".>", _options.CreateStream, _logger, cancellationToken).ConfigureAwait(false);
        _store = await BucketAsync(new NatsKVContext(js), cancellationToken).ConfigureAwait(false);
        await _store.PutAsync(MemberKey, _instance, cancellationToken: cancellationToken).ConfigureAwait(false);
        _logger.ClaimsStarted(_instance, _options.StreamName, _options.Partitions, _options.ClaimBucket, _ttl);
        _renewing = RenewLoopAsync(_stopRenewing.Token);
        _balancing = BalanceLoopAsync(_stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_handler is not { } handler)
        {
            return;
        }

        if (_options.Partitions == 0)
        {
            if (_wholeStreamAssigned)
            {
                _wholeStreamAssigned = false;
                await handler.RevokeAsync([_wholeStream.Name], lost: false, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _balancing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Hand every partition over while still renewing its claim, then drop the claims so others take them at once.
        List<(int Partition, Claim Claim)> owned, lost;
        lock (_lock)
        {
            owned = [.. _claims.Where(c => !c.Value.Lost).Select(c => (c.Key, c.Value))];
            lost = [.. _claims.Where(c => c.Value.Lost).Select(c => (c.Key, c.Value))];
        }

        if (lost.Count > 0)
        {
            await handler.RevokeAsync([.. lost.Select(o => o.Claim.Source.Name)], lost: true, cancellationToken).ConfigureAwait(false);
        }

        if (owned.Count > 0)
        {
            await handler.RevokeAsync([.. owned.Select(o => o.Claim.Source.Name)], lost: false, cancellationToken).ConfigureAwait(false);
        }

        await _stopRenewing.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            foreach (var (partition, claim) in owned)
            {
                await _store!.TryDeleteAsync(ClaimKey(partition), new NatsKVDeleteOpts { Revision = claim.Revision }, timeout.Token).ConfigureAwait(false);
            }

            await _store!.TryDeleteAsync(MemberKey, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            // The claims lapse by themselves within the bucket's age limit.
        }

        await ForgetAsync([.. owned.Concat(lost).Select(o => o.Partition)]).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this twice (as itself and as IDynamicPartitionSource); the second call does nothing.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _stopRenewing.CancelAsync().ConfigureAwait(false);
        await _balancing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        List<int> all;
        lock (_lock)
        {
            all = [.. _claims.Keys];
        }

        await ForgetAsync(all).ConfigureAwait(false);
        _stop.Dispose();
        _stopRenewing.Dispose();
    }

    private static string Sanitize(string text)
    {
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray();
        return chars.Length == 0 ? "host" : new string(chars);
    }

    /// <summary>A key-value call may take at most half a claim's lifetime: a stuck call must not hold claims or renewals up.</summary>
    private CancellationTokenSource Bounded(CancellationToken cancellationToken)
    {
        var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(_ttl / 2);
        return call;
    }

    private string ClaimKey(int partition) => string.Create(CultureInfo.InvariantCulture, $"{_options.ConsumerName}.claims.{partition}");

    private async Task<INatsKVStore> BucketAsync(NatsKVContext kv, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await kv.GetStoreAsync(_options.ClaimBucket, cancellationToken).ConfigureAwait(false);
            var status = await existing.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            _ttl = status.Info.Config.MaxAge;
            if (_ttl <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"Key-value bucket \"{_options.ClaimBucket}\" has no age limit, so a killed instance's claims would never lapse; delete it (Gravity creates it with {GravityNatsOptions.SectionName}:ClaimTtl) or give it a max age.");
            }

            return existing;
        }
        catch (Exception ex) when (ex is NatsKVException || (ex is NatsJSApiException api && api.Error.ErrCode == 10059))
        {
            // No bucket yet (stream not found): create it. Instances starting together may both do so; the
            // configurations are equal, so either wins.
            _ttl = _options.ClaimTtl;
            var created = await kv.CreateOrUpdateStoreAsync(new NatsKVConfig(_options.ClaimBucket) { MaxAge = _options.ClaimTtl, History = 1, Description = "Gravity.Sync partition claims" }, cancellationToken).ConfigureAwait(false);
            _logger.ClaimBucketCreated(_options.ClaimBucket, _options.ClaimTtl);
            return created;
        }
    }

    /// <summary>Keeps this instance's presence and claims alive; a claim that cannot be renewed within its lifetime is marked lost.</summary>
    /// <remarks>It runs apart from balancing and stops only after the last hand-over, so a slow hand-over never lets a claim lapse.</remarks>
    private async Task RenewLoopAsync(CancellationToken stopToken)
    {
        await Task.Yield();
        while (true)
        {
            try
            {
                await Task.Delay(Interval, _clock, stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RenewOnceAsync().ConfigureAwait(false);
        }
    }

    private async Task RenewOnceAsync()
    {
        var store = _store!;
        var lost = false;
        using (var presence = Bounded(CancellationToken.None))
        {
            try
            {
                await store.PutAsync(MemberKey, _instance, cancellationToken: presence.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsException or OperationCanceledException)
            {
                _logger.ClaimRoundFailed(ex, _instance);
            }
        }

        await _kvGate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var timeout = Bounded(CancellationToken.None);

            List<(int Partition, Claim Claim)> owned;
            lock (_lock)
            {
                owned = [.. _claims.Where(c => !c.Value.Lost).Select(c => (c.Key, c.Value))];
            }

            foreach (var (partition, claim) in owned)
            {
                NatsResult<ulong> result;
                try
                {
                    result = await store.TryUpdateAsync(ClaimKey(partition), _instance, claim.Revision, cancellationToken: timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NatsException or OperationCanceledException)
                {
                    result = ex;
                }

                if (result.Success)
                {
                    claim.Revision = result.Value;
                    claim.RenewedAt = _clock.GetTimestamp();
                }
                else if (result.Error is NatsKVWrongLastRevisionException || _clock.GetElapsedTime(claim.RenewedAt) >= _ttl)
                {
                    // Someone else holds it now, or it may have lapsed: stop reading it before doing anything else.
                    claim.Lost = true;
                    lost = true;
                }
            }
        }
        finally
        {
            _kvGate.Release();
        }

        if (lost)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>Drops lost claims, releases partitions above the fair share and claims free ones below it.</summary>
    private async Task BalanceLoopAsync(CancellationToken stopToken)
    {
        await Task.Yield();
        while (!stopToken.IsCancellationRequested)
        {
            try
            {
                await BalanceOnceAsync(stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.ClaimRoundFailed(ex, _instance);
            }

            var wake = _wake;
            try
            {
                await wake.Task.WaitAsync(Interval, _clock, stopToken).ConfigureAwait(false);
                _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task BalanceOnceAsync(CancellationToken stopToken)
    {
        var handler = _handler!;
        var store = _store!;

        List<(int Partition, string Name)> lost;
        lock (_lock)
        {
            lost = [.. _claims.Where(c => c.Value.Lost).Select(c => (c.Key, c.Value.Source.Name))];
        }

        if (lost.Count > 0)
        {
            _logger.ClaimsLost(_instance, string.Join(",", lost.Select(l => l.Partition)), _ttl);
            await handler.RevokeAsync([.. lost.Select(l => l.Name)], lost: true, CancellationToken.None).ConfigureAwait(false);
            await ForgetAsync([.. lost.Select(l => l.Partition)]).ConfigureAwait(false);
        }

        // Who is here, and which partitions are claimed: one listing of the bucket's keys under our consumer name.
        var members = new HashSet<string>(StringComparer.Ordinal); // a key renewed during the listing may show twice
        var claimed = new HashSet<int>();
        using var listing = Bounded(stopToken);
        await foreach (var key in store.GetKeysAsync([$"{_options.ConsumerName}.>"], cancellationToken: listing.Token).ConfigureAwait(false))
        {
            var parts = key.Split('.');
            if (parts.Length == 3 && parts[1] == "members")
            {
                members.Add(parts[2]);
            }
            else if (parts.Length == 3 && parts[1] == "claims" && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                claimed.Add(p);
            }
        }

        var count = Math.Max(1, members.Count);
        _members = count;
        var share = (_options.Partitions + count - 1) / count;
        List<int> owned;
        lock (_lock)
        {
            owned = [.. _claims.Keys.Order()];
        }

        if (owned.Count > share)
        {
            await ReleaseAsync(owned[share..], stopToken).ConfigureAwait(false);
            return;
        }

        if (owned.Count == share)
        {
            return;
        }

        // Start at a point of our own, so instances joining together do not all race for partition 0.
        var start = (int)((uint)_instance.GetHashCode(StringComparison.Ordinal) % (uint)_options.Partitions);
        var taken = new List<IEventSource>();
        var takenPartitions = new List<int>();
        for (var i = 0; i < _options.Partitions && owned.Count + taken.Count < share; i++)
        {
            var partition = (start + i) % _options.Partitions;
            if (claimed.Contains(partition) || owned.Contains(partition))
            {
                continue;
            }

            NatsResult<ulong> result;
            await _kvGate.WaitAsync(stopToken).ConfigureAwait(false);
            try
            {
                using var call = Bounded(stopToken);
                result = await store.TryCreateAsync(ClaimKey(partition), _instance, cancellationToken: call.Token).ConfigureAwait(false);
                if (result.Success)
                {
                    var source = new NatsJetStreamEventSource(_connections, _options, NatsLane.Partition(_options, partition), _instruments, _clock, _logger);
                    lock (_lock)
                    {
                        _claims[partition] = new Claim(source) { Revision = result.Value, RenewedAt = _clock.GetTimestamp() };
                    }

                    taken.Add(source);
                    takenPartitions.Add(partition);
                }
            }
            finally
            {
                _kvGate.Release();
            }
        }

        if (taken.Count > 0)
        {
            _logger.PartitionsClaimed(_instance, string.Join(",", takenPartitions), count);
            await handler.AssignAsync(taken, stopToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands partitions over: their pipelines commit first (claims still renewed meanwhile), then the claims are deleted.</summary>
    private async Task ReleaseAsync(IReadOnlyList<int> partitions, CancellationToken stopToken)
    {
        List<(int Partition, Claim Claim)> released;
        lock (_lock)
        {
            released = [.. partitions.Where(_claims.ContainsKey).Select(p => (p, _claims[p]))];
        }

        await _handler!.RevokeAsync([.. released.Select(r => r.Claim.Source.Name)], lost: false, CancellationToken.None).ConfigureAwait(false);
        await _kvGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var (partition, claim) in released)
            {
                using var call = Bounded(CancellationToken.None);
                await _store!.TryDeleteAsync(ClaimKey(partition), new NatsKVDeleteOpts { Revision = claim.Revision }, call.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            _kvGate.Release();
        }

        await ForgetAsync([.. released.Select(r => r.Partition)]).ConfigureAwait(false);
        _logger.PartitionsReleased(_instance, string.Join(",", released.Select(r => r.Partition)), _members);
    }

    private async Task ForgetAsync(IReadOnlyList<int> partitions)
    {
        var sources = new List<NatsJetStreamEventSource>();
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                if (_claims.Remove(partition, out var claim))
                {
                    sources.Add(claim.Source);
                }
            }
        }

        foreach (var source in sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A partition this instance holds: the claim's revision (for compare-and-set) and the lane reading it.</summary>
    private sealed class Claim(NatsJetStreamEventSource source)
    {
        public NatsJetStreamEventSource Source { get; } = source;

        public ulong Revision { get; set; }

        public long RenewedAt { get; set; }

        public bool Lost { get; set; }
    }
}
