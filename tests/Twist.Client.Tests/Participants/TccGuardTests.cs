using System.Data.Common;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;

namespace Twist.Client.Tests.Participants;

/// <summary>The guard without the endpoints: a service that owns its transaction (e.g. a gRPC participant) uses the primitives.</summary>
public sealed class TccGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task The_primitives_decide_inside_the_callers_own_transaction(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        var guard = new TccGuard(db.DataSource);
        await guard.EnsureCreatedAsync(Ct);
        await guard.EnsureCreatedAsync(Ct);
        var tid = ParticipantHost.NewTid();
        var expires = DateTimeOffset.UtcNow.AddMinutes(1);

        Assert.Equal(TccGuardOutcome.Proceed, (await guard.BeginTryAsync("grpc-wallet", tid, expires, Ct)).Outcome);
        await InTransactionAsync(db, async tx =>
        {
            Assert.Equal(TccGuardOutcome.Proceed, (await guard.EnterTryAsync(tx, "grpc-wallet", tid, expires, Ct)).Outcome);
            return true;
        });

        // A Confirm whose business code fails rolls the guard row back with it: the retry proceeds again.
        await InTransactionAsync(db, async tx =>
        {
            Assert.Equal(TccGuardOutcome.Proceed, (await guard.EnterConfirmAsync(tx, "grpc-wallet", tid, Ct)).Outcome);
            return false;
        });
        await InTransactionAsync(db, async tx =>
        {
            Assert.Equal(TccGuardOutcome.Proceed, (await guard.EnterConfirmAsync(tx, "grpc-wallet", tid, Ct)).Outcome);
            return true;
        });
        await InTransactionAsync(db, async tx =>
        {
            Assert.Equal(TccGuardOutcome.Duplicate, (await guard.EnterConfirmAsync(tx, "grpc-wallet", tid, Ct)).Outcome);
            Assert.Equal(TccGuardOutcome.Conflict, (await guard.EnterCancelAsync(tx, "grpc-wallet", tid, Ct)).Outcome);
            return true;
        });

        var duplicateTry = await guard.BeginTryAsync("grpc-wallet", tid, expires.AddHours(1), Ct);
        Assert.Equal(TccGuardOutcome.Duplicate, duplicateTry.Outcome);
        Assert.Equal(expires.ToUnixTimeMilliseconds(), duplicateTry.Expires!.Value.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task The_high_level_methods_run_the_body_only_when_the_phase_is_new(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        var guard = new TccGuard(() => db.DataSource.CreateConnection());
        await guard.EnsureCreatedAsync(Ct);
        var tid = ParticipantHost.NewTid();
        var runs = 0;
        Task Body(DbConnection connection, DbTransaction transaction, CancellationToken ct)
        {
            Assert.Same(connection, transaction.Connection);
            runs++;
            return Task.CompletedTask;
        }

        Assert.Equal(TccGuardOutcome.NullCompensation, (await guard.CancelAsync("p", tid, Body, Ct)).Outcome);
        Assert.Equal(TccGuardOutcome.Hanging, (await guard.TryAsync("p", tid, DateTimeOffset.UtcNow.AddMinutes(1), Body, Ct)).Outcome);
        Assert.Equal(TccGuardOutcome.Duplicate, (await guard.CancelAsync("p", tid, Body, Ct)).Outcome);
        Assert.Equal(TccGuardOutcome.Conflict, (await guard.ConfirmAsync("p", tid, Body, Ct)).Outcome);
        Assert.Equal(0, runs);

        // Names are part of the key: another participant of the same transaction has its own row.
        Assert.Equal(TccGuardOutcome.Proceed, (await guard.TryAsync("q", tid, DateTimeOffset.UtcNow.AddMinutes(1), Body, Ct)).Outcome);
        Assert.Equal(TccGuardOutcome.Proceed, (await guard.ConfirmAsync("q", tid, Body, Ct)).Outcome);
        Assert.Equal(2, runs);
    }

    private static async Task InTransactionAsync(GuardDatabase db, Func<DbTransaction, Task<bool>> work)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        if (await work(transaction))
        {
            await transaction.CommitAsync(Ct);
        }
        else
        {
            await transaction.RollbackAsync(Ct);
        }
    }
}
