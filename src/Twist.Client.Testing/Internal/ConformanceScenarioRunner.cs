using System.Globalization;

namespace Twist.Testing.Internal;

/// <summary>
/// The scenarios themselves. Each uses new transaction ids, plays the coordinator's and the caller's part in an order
/// that a real deployment produces under failures, and checks both the answers (specs/twist-protocol.md) and the
/// measures (what the handlers really did).
/// </summary>
internal sealed class ConformanceScenarioRunner(ParticipantDriver driver, ParticipantConformanceOptions options)
{
    public const string DuplicateConfirmSummary = "Confirm sent 3 times at once and once more later (and the Try twice): all answered 2xx, applied once.";
    public const string NullCompensationSummary = "Cancel before any Try (null compensation), twice: answered 2xx or 404, nothing changes.";
    public const string HangingSummary = "A Try arriving after its transaction's Cancel (hanging): refused with 4xx, nothing reserved.";
    public const string CancelAfterFailedTrySummary = "Cancel after a refused Try, twice, then the Try again: Cancel answered 2xx or 404, nothing released that was never held, the late Try refused.";
    public const string CoordinatorCrashSummary = "The coordinator crashes between phases and re-sends Confirm (and, for another transaction, Cancel) after a pause: same answer, applied once.";
    public const string TimeoutRacingConfirmSummary = "A timeout's Cancel raced against the caller's Confirm: exactly one wins, effects match the winner, the loser stays refused.";

    public async Task DuplicateConfirmAsync(ScenarioRun run)
    {
        var tid = run.NewTid();
        var tried = await TryAsync(run, tid, "Try");
        if (tried is null)
        {
            return;
        }

        var again = run.Step(await driver.TryAsync(tid, options.CreateTryContent!(tid), "Try again (duplicate)", run.CancellationToken));
        if (!again.Succeeded && !again.RefusedCleanly)
        {
            run.Problem($"A duplicate Try was answered {again.Answer}; answer it like the first one (2xx with the same link) or refuse it with 409, and never reserve twice.");
        }

        var confirms = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => driver.ConfirmAsync(tid, tried, $"Confirm #{i} (concurrent)", run.CancellationToken)));
        foreach (var confirm in confirms)
        {
            run.Step(confirm);
        }

        var late = run.Step(await driver.ConfirmAsync(tid, tried, "Confirm #4 (late duplicate)", run.CancellationToken));
        foreach (var confirm in confirms.Append(late).Where(c => !c.Succeeded))
        {
            run.Problem($"{confirm.What} was answered {confirm.Answer}; a duplicate Confirm must be answered 2xx (it is done) so that the coordinator stops retrying, not 404/409 (which mark the transaction heuristic) or 5xx.");
        }

        await run.ExpectEffectsAsync(1, "after one transaction confirmed four times");
    }

    public async Task NullCompensationAsync(ScenarioRun run)
    {
        var tid = run.NewTid();
        var link = driver.GuessLink(tid);
        foreach (var label in (string[])["Cancel before any Try", "Cancel again"])
        {
            var cancel = run.Step(await driver.CancelAsync(tid, link, label, run.CancellationToken));
            if (!cancel.CancelDone)
            {
                run.Problem($"'{label}' was answered {cancel.Answer}; a Cancel for a transaction whose Try never arrived must be answered 2xx (or 404, nothing reserved): the coordinator retries anything else until it parks the transaction.");
            }
        }

        await run.ExpectEffectsAsync(0, "after a Cancel with no Try");
    }

    public async Task HangingAsync(ScenarioRun run)
    {
        var tid = run.NewTid();
        var link = driver.GuessLink(tid);
        run.Step(await driver.CancelAsync(tid, link, "Cancel before any Try", run.CancellationToken));
        var late = run.Step(await driver.TryAsync(tid, options.CreateTryContent!(tid), "Try after the Cancel (late)", run.CancellationToken));
        if (late.Succeeded)
        {
            run.Problem($"The late Try was answered {late.Answer} and reserved: its transaction was already cancelled, so nobody will ever confirm or cancel this reservation (it hangs). Record the Cancel (a tombstone) and refuse a Try that comes after it, with 409.");
        }
        else if (!late.RefusedCleanly)
        {
            run.Problem($"The late Try was answered {late.Answer}; refuse it cleanly with 409, not a server error.");
        }

        await run.ExpectEffectsAsync(0, "after a Cancel and a late Try");
        if (late.Succeeded)
        {
            // Leave nothing behind for the next scenario.
            run.Step(await driver.CancelAsync(tid, late.Link ?? link, "Cancel again (clean-up of the hanging reservation)", run.CancellationToken));
        }
    }

    public async Task CancelAfterFailedTryAsync(ScenarioRun run)
    {
        var tid = run.NewTid();
        var link = driver.GuessLink(tid);
        var failed = run.Step(await driver.TryAsync(tid, options.CreateFailingTryContent!(tid), "Try with the failing request", run.CancellationToken));
        if (failed.Succeeded)
        {
            run.Problem($"The failing request was accepted ({failed.Answer}); set CreateFailingTryContent to a request your participant refuses.");
            run.Step(await driver.CancelAsync(tid, failed.Link ?? link, "Cancel (clean-up)", run.CancellationToken));
            return;
        }

        foreach (var label in (string[])["Cancel after the failed Try", "Cancel again"])
        {
            var cancel = run.Step(await driver.CancelAsync(tid, link, label, run.CancellationToken));
            if (!cancel.CancelDone)
            {
                run.Problem($"'{label}' was answered {cancel.Answer}; a Cancel after a Try that failed must succeed (2xx, or 404 when nothing was reserved). Your Cancel handler must cope with a reservation that was never made, or made only halfway.");
            }
        }

        await run.ExpectEffectsAsync(0, "after a failed Try and its Cancel");
        var late = run.Step(await driver.TryAsync(tid, options.CreateTryContent!(tid), "Try again after the Cancel (late)", run.CancellationToken));
        if (late.Succeeded)
        {
            run.Problem($"A Try after the Cancel was answered {late.Answer} and reserved; once a transaction is cancelled, refuse its late Try (409).");
            run.Step(await driver.CancelAsync(tid, late.Link ?? link, "Cancel (clean-up)", run.CancellationToken));
        }
    }

    public async Task CoordinatorCrashAsync(ScenarioRun run)
    {
        var confirmedTid = run.NewTid();
        var confirmedLink = await TryAsync(run, confirmedTid, "Try (transaction A)");
        if (confirmedLink is null)
        {
            return;
        }

        var confirm = run.Step(await driver.ConfirmAsync(confirmedTid, confirmedLink, "Confirm A", run.CancellationToken));
        ExpectSucceeded(run, confirm, "Confirm of a reserved transaction");
        run.Note($"coordinator down for {options.ResendDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms; it restarts, finds A 'confirming' in its log and re-sends");
        await Task.Delay(options.ResendDelay, run.CancellationToken).ConfigureAwait(false);
        var resent = run.Step(await driver.ConfirmAsync(confirmedTid, confirmedLink, "Confirm A re-sent", run.CancellationToken));
        if (!resent.Succeeded)
        {
            run.Problem($"The re-sent Confirm was answered {resent.Answer}; the participant must remember that it confirmed and answer 2xx again (404/409 mark the transaction heuristic for an operator).");
        }

        await run.ExpectEffectsAsync(1, "after Confirm A and its re-send");

        var cancelledTid = run.NewTid();
        var cancelledLink = await TryAsync(run, cancelledTid, "Try (transaction B)");
        if (cancelledLink is null)
        {
            return;
        }

        run.Step(await driver.CancelAsync(cancelledTid, cancelledLink, "Cancel B", run.CancellationToken));
        await Task.Delay(options.ResendDelay, run.CancellationToken).ConfigureAwait(false);
        var resentCancel = run.Step(await driver.CancelAsync(cancelledTid, cancelledLink, "Cancel B re-sent", run.CancellationToken));
        if (!resentCancel.CancelDone)
        {
            run.Problem($"The re-sent Cancel was answered {resentCancel.Answer}; answer a repeated Cancel 2xx (or 404) without releasing twice.");
        }

        await run.ExpectEffectsAsync(1, "after Cancel B and its re-send");
    }

    public async Task TimeoutRacingConfirmAsync(ScenarioRun run)
    {
        var confirmed = 0;
        for (var round = 1; round <= options.RaceRounds; round++)
        {
            var tid = run.NewTid();
            var link = await TryAsync(run, tid, $"Try (round {round})");
            if (link is null)
            {
                return;
            }

            // Start both before awaiting either, as the caller's Confirm and the participant's or coordinator's timeout Cancel do.
            var confirmTask = driver.ConfirmAsync(tid, link, $"Confirm (round {round})", run.CancellationToken);
            var cancelTask = driver.CancelAsync(tid, link, $"Cancel by timeout (round {round})", run.CancellationToken);
            var confirm = run.Step(await confirmTask);
            var cancel = run.Step(await cancelTask);
            if (confirm.Succeeded && cancel.Succeeded)
            {
                run.Problem($"Round {round}: both Confirm ({confirm.Answer}) and Cancel ({cancel.Answer}) succeeded for one reservation. Decide under a lock (or a conditional update) so that exactly one wins and the other is answered 409.");
            }
            else if (!confirm.Succeeded && !cancel.Succeeded)
            {
                run.Problem($"Round {round}: neither Confirm ({confirm.Answer}) nor Cancel ({cancel.Answer}) succeeded; one of them must win.");
            }

            if (confirm.Succeeded)
            {
                confirmed++;
                var loser = run.Step(await driver.CancelAsync(tid, link, $"Cancel re-sent after Confirm won (round {round})", run.CancellationToken));
                if (loser.Succeeded && !cancel.Succeeded)
                {
                    run.Problem($"Round {round}: a Cancel after the Confirm won was answered {loser.Answer}; it must stay refused (409), the outcome never changes.");
                }
            }
            else if (cancel.Succeeded)
            {
                var loser = run.Step(await driver.ConfirmAsync(tid, link, $"Confirm re-sent after Cancel won (round {round})", run.CancellationToken));
                if (loser.Succeeded)
                {
                    run.Problem($"Round {round}: a Confirm after the Cancel won was answered {loser.Answer}; it must stay refused (409), the outcome never changes.");
                }
            }

            await run.ExpectEffectsAsync(confirmed, string.Create(CultureInfo.InvariantCulture, $"after race round {round}"));
        }

        await ConfirmAfterExpiryAsync(run, confirmed);
    }

    /// <summary>When the link expires soon enough, confirms after it: either outcome is fine, as long as the answer and the effects agree.</summary>
    private async Task ConfirmAfterExpiryAsync(ScenarioRun run, int confirmed)
    {
        if (options.MaxExpiryWait <= TimeSpan.Zero)
        {
            run.Note("Confirm after the link expired: not run (MaxExpiryWait is 0)");
            return;
        }

        var tid = run.NewTid();
        var tried = run.Step(await driver.TryAsync(tid, options.CreateTryContent!(tid), "Try (expiry)", run.CancellationToken));
        if (!tried.Succeeded || tried.Link is null || tried.Expires is not { } expires)
        {
            run.Problem($"The Try was answered {tried.Answer}; it must be accepted with a participant link that has an 'expires'.");
            return;
        }

        var wait = expires - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (wait > options.MaxExpiryWait)
        {
            run.Note($"Confirm after the link expired: not run (the link expires in {wait}, more than MaxExpiryWait {options.MaxExpiryWait})");
            run.Step(await driver.CancelAsync(tid, tried.Link, "Cancel (clean-up)", run.CancellationToken));
            return;
        }

        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, run.CancellationToken).ConfigureAwait(false);
        var confirm = run.Step(await driver.ConfirmAsync(tid, tried.Link, "Confirm after the link expired", run.CancellationToken));
        if (!confirm.Succeeded && !confirm.RefusedCleanly)
        {
            run.Problem($"A Confirm after the link expired was answered {confirm.Answer}; answer 2xx if you still hold the reservation, 409/404 if you released it.");
            run.Step(await driver.CancelAsync(tid, tried.Link, "Cancel (clean-up)", run.CancellationToken));
        }

        await run.ExpectEffectsAsync(confirmed + (confirm.Succeeded ? 1 : 0), confirm.Succeeded
            ? "after a Confirm after expiry that was answered 2xx (it must have been applied)"
            : "after a Confirm after expiry that was refused (the reservation must have been released)");
    }

    /// <summary>Runs a Try that must be accepted; returns its link, or records the problem and returns null (the scenario cannot go on).</summary>
    private async Task<Uri?> TryAsync(ScenarioRun run, string tid, string label)
    {
        var tried = run.Step(await driver.TryAsync(tid, options.CreateTryContent!(tid), label, run.CancellationToken));
        if (tried.Succeeded && tried.Link is not null)
        {
            return tried.Link;
        }

        run.Problem($"{label} was answered {tried.Answer}; the scenario needs a Try that is accepted with the seed's answer {{\"tid\",\"participantLink\":{{\"uri\",\"expires\"}}}}. Check CreateTryContent and TryPath.");
        return null;
    }

    private static void ExpectSucceeded(ScenarioRun run, PhaseCall call, string what)
    {
        if (!call.Succeeded)
        {
            run.Problem($"{what} was answered {call.Answer}; it must be 2xx.");
        }
    }
}
