using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Twist.Client.Testing.Tests.Participants;

/// <summary>The mistakes a hand-written participant makes; each one is what one conformance scenario exists to catch.</summary>
public enum WalletFlaw
{
    None,

    /// <summary>Confirm applies again when it is repeated.</summary>
    ConfirmNotIdempotent,

    /// <summary>Cancel assumes a reservation exists and fails (500) when the Try never arrived.</summary>
    CancelWithoutTryFails,

    /// <summary>Keeps no record of a Cancel that came first, so the late Try reserves (hanging).</summary>
    AcceptsLateTry,

    /// <summary>A refused Try leaves its hold row behind, and Cancel refunds it although the money was never taken.</summary>
    CancelRefundsWhatWasNeverHeld,

    /// <summary>Confirm deletes the reservation, so a Confirm re-sent after a coordinator crash answers 404.</summary>
    ForgetsConfirmedTransactions,

    /// <summary>Confirm and Cancel check the state, then apply it, without a lock: both can win a race.</summary>
    DecidesWithoutLock,
}

/// <summary>
/// A participant written by hand, in memory, without the SDK: correct with <see cref="WalletFlaw.None"/>, and wrong in
/// exactly one way otherwise. Try <c>POST /wallet</c> <c>{"amount"}</c>, Confirm <c>PUT /wallet/{tid}</c>, Cancel <c>DELETE /wallet/{tid}</c>.
/// </summary>
internal sealed class HandWrittenWallet : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, Hold> holds = [];
    private readonly HashSet<string> tombstones = [];
    private readonly WalletFlaw flaw;
    private long balance = 1000;
    private long spent;

    private HandWrittenWallet(WebApplication app, WalletFlaw flaw)
    {
        this.app = app;
        this.flaw = flaw;
    }

    public Uri Address => new(app.Urls.First());

    public long Balance => Interlocked.Read(ref balance);

    public long Spent => Interlocked.Read(ref spent);

    public static async Task<HandWrittenWallet> StartAsync(WalletFlaw flaw)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var wallet = new HandWrittenWallet(app, flaw);
        app.MapPost("/wallet", wallet.TryAsync);
        app.MapPut("/wallet/{tid}", (string tid) => wallet.DecideAsync(tid, confirm: true));
        app.MapDelete("/wallet/{tid}", (string tid) => wallet.DecideAsync(tid, confirm: false));
        await app.StartAsync();
        return wallet;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        gate.Dispose();
    }

    private async Task<IResult> TryAsync(HttpRequest request)
    {
        var tid = request.Headers["Twist-Transaction-ID"].ToString();
        var amount = (await request.ReadFromJsonAsync<DebitRequest>())!.Amount;
        await gate.WaitAsync();
        try
        {
            if (tombstones.Contains(tid) && flaw != WalletFlaw.AcceptsLateTry)
            {
                return Results.Problem(statusCode: 409, title: "Already cancelled.");
            }

            if (holds.ContainsKey(tid))
            {
                return Answer(tid);
            }

            if (amount > balance)
            {
                if (flaw == WalletFlaw.CancelRefundsWhatWasNeverHeld)
                {
                    holds[tid] = new Hold(amount) { State = "failed" }; // the row written before the check, never rolled back
                }

                return Results.Problem(statusCode: 409, title: "Insufficient funds.");
            }

            balance -= amount;
            holds[tid] = new Hold(amount);
            return Answer(tid);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IResult> DecideAsync(string tid, bool confirm)
    {
        var locked = flaw != WalletFlaw.DecidesWithoutLock;
        if (locked)
        {
            await gate.WaitAsync();
        }

        try
        {
            Hold? hold;
            lock (holds)
            {
                holds.TryGetValue(tid, out hold);
            }

            if (hold is null)
            {
                if (confirm)
                {
                    return Results.NotFound();
                }

                if (flaw == WalletFlaw.CancelWithoutTryFails)
                {
                    throw new InvalidOperationException("no hold"); // answered 500
                }

                lock (holds)
                {
                    tombstones.Add(tid);
                }

                return Results.Ok();
            }

            var target = confirm ? "confirmed" : "cancelled";
            if (hold.State == target && !(confirm && flaw == WalletFlaw.ConfirmNotIdempotent))
            {
                return Results.Ok();
            }

            if (hold.State is "confirmed" or "cancelled" && hold.State != target)
            {
                return Results.Conflict();
            }

            if (!locked)
            {
                await Task.Delay(50); // the database work between the check and the write, where the race happens
            }

            if (confirm)
            {
                Interlocked.Add(ref spent, hold.Amount);
                if (flaw == WalletFlaw.ForgetsConfirmedTransactions)
                {
                    lock (holds)
                    {
                        holds.Remove(tid);
                    }
                }
            }
            else
            {
                Interlocked.Add(ref balance, hold.Amount); // a 'failed' hold refunds money that was never taken
            }

            hold.State = target;
            return Results.Ok();
        }
        finally
        {
            if (locked)
            {
                gate.Release();
            }
        }
    }

    private IResult Answer(string tid) =>
        Results.Json(new { tid, participantLink = new { uri = new Uri(Address, "/wallet/" + tid), expires = DateTimeOffset.UtcNow.AddMinutes(1) } });

    private sealed class Hold(long amount)
    {
        public long Amount { get; } = amount;

        public string State { get; set; } = "held";
    }
}
