using System.Data.Common;
using System.Net;
using System.Text.Json;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;
using Twist.Protocol;

namespace Twist.Client.Tests.Participants;

/// <summary>
/// The guard's fencing of coordinator epochs (Twist-Epoch): it keeps the highest epoch seen per transaction and refuses
/// a Confirm or Cancel from an instance that was overtaken, so a coordinator that lost its lease cannot apply anything.
/// </summary>
public sealed class GuardEpochTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task A_Confirm_under_a_lower_epoch_than_one_seen_is_refused_without_running(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        var guard = await GuardAsync(db);
        var tid = ParticipantHost.NewTid();
        var runs = 0;
        Task Body(DbConnection connection, DbTransaction transaction, CancellationToken ct)
        {
            runs++;
            return Task.CompletedTask;
        }

        await guard.TryAsync("p", tid, DateTimeOffset.UtcNow.AddMinutes(1), Body, Ct);

        Assert.Equal(new TccGuardResult(TccGuardOutcome.Proceed, Epoch: 2), await guard.ConfirmAsync("p", tid, 2, Body, Ct));
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Superseded, Epoch: 2), await guard.ConfirmAsync("p", tid, 1, Body, Ct));
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Duplicate, Epoch: 2), await guard.ConfirmAsync("p", tid, 2, Body, Ct));

        // A duplicate under a newer epoch still raises the epoch, so the instance before it is fenced from then on.
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Duplicate, Epoch: 3), await guard.ConfirmAsync("p", tid, 3, Body, Ct));
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Superseded, Epoch: 3), await guard.ConfirmAsync("p", tid, 2, Body, Ct));
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Superseded, Epoch: 3), await guard.CancelAsync("p", tid, 2, Body, Ct));

        // Without an epoch (a single-instance coordinator) nothing is checked or recorded.
        Assert.Equal(TccGuardOutcome.Duplicate, (await guard.ConfirmAsync("p", tid, Body, Ct)).Outcome);
        Assert.Equal(2, runs); // the Try and the first Confirm
        Assert.Equal("3", await db.ScalarAsync("SELECT epoch FROM twist_guard WHERE participant = 'p' AND tid = @t", tid));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task A_Cancel_before_any_Try_keeps_its_epoch_in_the_tombstone(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        var guard = await GuardAsync(db);
        var tid = ParticipantHost.NewTid();
        Task Body(DbConnection connection, DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;

        Assert.Equal(new TccGuardResult(TccGuardOutcome.NullCompensation, Epoch: 5), await guard.CancelAsync("p", tid, 5, Body, Ct));
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Superseded, Epoch: 5), await guard.CancelAsync("p", tid, 4, Body, Ct));
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Duplicate, Epoch: 5), await guard.CancelAsync("p", tid, 5, Body, Ct));
        Assert.Equal(TccGuardOutcome.Hanging, (await guard.TryAsync("p", tid, DateTimeOffset.UtcNow.AddMinutes(1), Body, Ct)).Outcome);
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task The_primitives_check_the_epoch_inside_the_callers_transaction(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        var guard = await GuardAsync(db);
        var tid = ParticipantHost.NewTid();
        var expires = DateTimeOffset.UtcNow.AddMinutes(1);
        await guard.BeginTryAsync("grpc", tid, expires, Ct);
        await InTransactionAsync(db, async tx => (await guard.EnterTryAsync(tx, "grpc", tid, expires, Ct)).Outcome);

        Assert.Equal(TccGuardOutcome.Proceed, await InTransactionAsync(db, async tx => (await guard.EnterConfirmAsync(tx, "grpc", tid, 7, Ct)).Outcome));
        Assert.Equal(TccGuardOutcome.Superseded, await InTransactionAsync(db, async tx => (await guard.EnterConfirmAsync(tx, "grpc", tid, 6, Ct)).Outcome));
        Assert.Equal(TccGuardOutcome.Superseded, await InTransactionAsync(db, async tx => (await guard.EnterCancelAsync(tx, "grpc", tid, 6, Ct)).Outcome));
        Assert.Equal(TccGuardOutcome.Conflict, await InTransactionAsync(db, async tx => (await guard.EnterCancelAsync(tx, "grpc", tid, 7, Ct)).Outcome));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InTransactionAsync(db, async tx => (await guard.EnterConfirmAsync(tx, "grpc", tid, -1, Ct)).Outcome));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task A_guard_table_created_before_epochs_gains_the_column_and_keeps_its_rows(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        var tid = ParticipantHost.NewTid();
        await ExecuteAsync(db, """
            CREATE TABLE twist_guard (participant TEXT NOT NULL, tid TEXT NOT NULL, state TEXT NOT NULL, expires_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL, PRIMARY KEY (participant, tid))
            """);
        await ExecuteAsync(db, $"INSERT INTO twist_guard VALUES ('p', '{tid}', 'tried', {DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()}, 0)");

        var guard = await GuardAsync(db);
        await guard.EnsureCreatedAsync(Ct);

        Assert.Equal("0", await db.ScalarAsync("SELECT epoch FROM twist_guard WHERE tid = @t", tid));
        Task Body(DbConnection connection, DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;
        Assert.Equal(new TccGuardResult(TccGuardOutcome.Proceed, Epoch: 1), await guard.ConfirmAsync("p", tid, 1, Body, Ct));
    }

    [Fact]
    public async Task The_endpoint_answers_an_overtaken_epoch_with_412_and_the_higher_epoch()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(10))).Dispose();

        using var current = await host.Http.SendAsync(host.Signed(HttpMethod.Put, tid, epoch: 2), Ct);
        using var stale = await host.Http.SendAsync(host.Signed(HttpMethod.Put, tid, epoch: 1), Ct);
        using var staleCancel = await host.Http.SendAsync(host.Signed(HttpMethod.Delete, tid, epoch: 1), Ct);

        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("2", Assert.Single(stale.Headers.GetValues(TwistHeaders.Epoch)));
        using var problem = JsonDocument.Parse(await stale.Content.ReadAsStringAsync(Ct));
        Assert.Equal(TccProblemCodes.StaleEpoch, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleCancel.StatusCode);
        Assert.Equal(1, host.Probe.Calls(tid, "confirm"));
        Assert.Equal(0, host.Probe.Calls(tid, "cancel"));
        Assert.Equal("confirmed", await db.HoldStateAsync(tid));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("two")]
    [InlineData("99999999999999999999")]
    public async Task An_epoch_that_is_not_a_positive_integer_is_refused_with_400(string epoch)
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(10))).Dispose();
        using var request = host.Signed(HttpMethod.Put, tid);
        request.Headers.Add(TwistHeaders.Epoch, epoch);

        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(TwistHeaders.Epoch, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, host.Probe.Calls(tid, "confirm"));
    }

    [Fact]
    public async Task The_signature_covers_the_epoch_so_it_cannot_be_raised_or_stripped()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(10))).Dispose();

        using var raised = host.Signed(HttpMethod.Put, tid, epoch: 1);
        raised.Headers.Remove(TwistHeaders.Epoch);
        raised.Headers.Add(TwistHeaders.Epoch, "1000");
        using var stripped = host.Signed(HttpMethod.Put, tid, epoch: 1);
        stripped.Headers.Remove(TwistHeaders.Epoch);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(raised, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(stripped, Ct)).StatusCode);
        Assert.Equal(0, host.Probe.Calls(tid, "confirm"));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(host.Signed(HttpMethod.Put, tid, epoch: 1), Ct)).StatusCode);
    }

    [Fact]
    public void The_signature_with_an_epoch_is_the_documented_test_vector()
    {
        var key = System.Text.Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
        const string Uri = "http://bank.internal/transaction/0197a1b2c3d4";

        // docs/protocol.md, "Fencing (epochs)"; without an epoch the signature is the five-line one.
        Assert.Equal("ac09bc159bd5806a93432b52e104fcae6561b11ad41c334271a1d50fe1f0f591", TwistSignature.Compute(key, "PUT", Uri, "0197a1b2c3d4", "confirm", 1767225600, 2));
        Assert.Equal(TwistSignature.Compute(key, "PUT", Uri, "0197a1b2c3d4", "confirm", 1767225600), TwistSignature.Compute(key, "PUT", Uri, "0197a1b2c3d4", "confirm", 1767225600, 0));
    }

    private static async Task<TccGuard> GuardAsync(GuardDatabase db)
    {
        var guard = new TccGuard(db.DataSource);
        await guard.EnsureCreatedAsync(Ct);
        return guard;
    }

    private static async Task ExecuteAsync(GuardDatabase db, string sql)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of the guard's database and commits it, as a participant that owns its transaction does.</summary>
    private static async Task<TccGuardOutcome> InTransactionAsync(GuardDatabase db, Func<DbTransaction, Task<TccGuardOutcome>> work)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var outcome = await work(transaction);
        await transaction.CommitAsync(Ct);
        return outcome;
    }
}
