using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Participants.Diagnostics;

namespace Twist.Participants.Hosting;

/// <summary>
/// Makes reservations expire on their own: every <see cref="TwistParticipantOptions.SweepInterval"/> it cancels, through
/// the guard and the participant's Cancel handler, the reservations still open after their expiry (no Confirm or
/// Cancel arrived: a caller that crashed, a coordinator that lost them), then deletes finished guard rows older than
/// <see cref="TwistParticipantOptions.GuardRetention"/>. Both passes work in bounded batches.
/// </summary>
internal sealed class GuardSweeper(
    IServiceScopeFactory scopeFactory,
    GuardFactory guards,
    IEnumerable<ParticipantDescriptor> participants,
    ParticipantInstruments instruments,
    IOptions<TwistParticipantOptions> options,
    TimeProvider timeProvider,
    ILogger<GuardSweeper> logger) : BackgroundService
{
    /// <summary>Bounds one retention pass, so a large backlog is worked off over several sweeps instead of one long stall.</summary>
    private const int MaxDeleteBatchesPerSweep = 10;

    private readonly Dictionary<string, ParticipantDescriptor> byName = participants.ToDictionary(p => p.Name, StringComparer.Ordinal);
    private readonly TwistParticipantOptions options = options.Value;

    /// <summary>Runs one sweep: the expiry pass, then the retention pass. Returns how many reservations it cancelled.</summary>
    internal async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Participant, string Tid)> expired;
        var listScope = scopeFactory.CreateAsyncScope();
        await using (listScope.ConfigureAwait(false))
        {
            expired = await guards.Create(listScope.ServiceProvider, instrumented: false)
                .ListExpiredAsync([.. byName.Keys], options.SweepBatchSize, cancellationToken).ConfigureAwait(false);
        }

        var cancelled = 0;
        foreach (var (name, tid) in expired)
        {
            if (await CancelExpiredAsync(byName[name], tid, cancellationToken).ConfigureAwait(false))
            {
                cancelled++;
            }
        }

        var cutoff = timeProvider.GetUtcNow() - options.GuardRetention;
        var purged = 0;
        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var guard = guards.Create(scope.ServiceProvider, instrumented: false);
            for (var batch = 0; batch < MaxDeleteBatchesPerSweep; batch++)
            {
                var deleted = await guard.DeleteFinishedAsync(cutoff, options.SweepBatchSize, cancellationToken).ConfigureAwait(false);
                purged += deleted;
                if (deleted < options.SweepBatchSize)
                {
                    break;
                }
            }
        }

        if (purged > 0)
        {
            logger.GuardRowsPurged(purged, cutoff);
        }

        return cancelled;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(options.SweepInterval, timeProvider);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A database outage must not stop the sweeper for good: the next tick tries again.
                logger.SweepFailed(ex, options.SweepInterval);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Cancels one expired reservation in a fresh scope, as the coordinator's Cancel would; the guard re-checks its state under the row lock.</summary>
    private async Task<bool> CancelExpiredAsync(ParticipantDescriptor participant, string tid, CancellationToken cancellationToken)
    {
        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var services = scope.ServiceProvider;
            using var activity = ParticipantActivitySource.Start(TccPhases.Cancel, participant.Name, tid);
            try
            {
                var decision = await guards.Create(services, instrumented: false).CancelAsync(
                    participant.Name,
                    tid,
                    (connection, transaction, ct) => participant.CancelAsync(
                        new TccContext
                        {
                            Tid = tid, Participant = participant.Name, Phase = TccPhases.Cancel,
                            Connection = connection, Transaction = transaction, Services = services,
                        },
                        ct),
                    cancellationToken).ConfigureAwait(false);

                // Anything but Proceed means a Confirm or Cancel got there between the listing and the lock: nothing expired.
                activity?.SetTag(TwistParticipantTelemetry.OutcomeAttribute, decision.Outcome == TccGuardOutcome.Proceed ? ParticipantInstruments.Expired : ParticipantInstruments.Name(decision.Outcome));
                if (decision.Outcome != TccGuardOutcome.Proceed)
                {
                    return false;
                }

                instruments.Record(TccPhases.Cancel, ParticipantInstruments.Expired);
                logger.ReservationExpired(participant.Name, tid);
                return true;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ParticipantActivitySource.Fail(activity, ex);
                logger.ExpiryCancelFailed(ex, participant.Name, tid);
                return false;
            }
        }
    }
}
