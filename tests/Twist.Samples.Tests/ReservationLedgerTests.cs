using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Twist.Samples.Transfer.Participants;

namespace Twist.Samples.Tests;

/// <summary>The participant guard the sample's Bank and Game share: idempotence, null compensation, hanging Try, expiry.</summary>
public sealed class ReservationLedgerTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("twist-ledger-test-");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CountingRules rules = new();
    private readonly ReservationLedger ledger;

    public ReservationLedgerTests()
    {
        ledger = new ReservationLedger(Path.Combine(folder.FullName, "ledger.db"), rules, time);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    [Fact]
    public void Duplicate_try_confirm_and_cancel_are_no_ops()
    {
        Assert.Equal(TryOutcome.Reserved, ledger.Try("t1", "USER1", 10, time.GetUtcNow().AddMinutes(1)).Outcome);
        Assert.Equal(TryOutcome.Duplicate, ledger.Try("t1", "USER1", 10, time.GetUtcNow().AddMinutes(1)).Outcome);
        Assert.Equal(PhaseOutcome.Done, ledger.Confirm("t1"));
        Assert.Equal(PhaseOutcome.AlreadyDone, ledger.Confirm("t1"));
        Assert.Equal(PhaseOutcome.Conflict, ledger.Cancel("t1"));

        Assert.Equal((1, 1, 0), (rules.Reserved, rules.Applied, rules.Released));
    }

    [Fact]
    public void Cancel_before_try_leaves_a_tombstone_that_refuses_the_late_try()
    {
        Assert.Equal(PhaseOutcome.Tombstone, ledger.Cancel("t2"));
        Assert.Equal(PhaseOutcome.AlreadyDone, ledger.Cancel("t2"));
        Assert.Equal(TryOutcome.AlreadyCancelled, ledger.Try("t2", "USER1", 10, time.GetUtcNow().AddMinutes(1)).Outcome);

        Assert.Equal(0, rules.Reserved);
    }

    [Fact]
    public void Confirm_of_an_unknown_reservation_is_not_found()
    {
        Assert.Equal(PhaseOutcome.NotFound, ledger.Confirm("never-tried"));
    }

    [Fact]
    public void Expired_reservations_are_released_once_and_can_no_longer_be_confirmed()
    {
        ledger.Try("t3", "USER1", 10, time.GetUtcNow().AddSeconds(30));
        Assert.Equal(0, ledger.ReleaseExpired());

        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(1, ledger.ReleaseExpired());
        Assert.Equal(0, ledger.ReleaseExpired());
        Assert.Equal(PhaseOutcome.Conflict, ledger.Confirm("t3"));
        Assert.Equal(PhaseOutcome.AlreadyDone, ledger.Cancel("t3"));
        Assert.Equal(1, rules.Released);
    }

    private sealed class CountingRules : IReservationRules
    {
        public int Reserved { get; private set; }

        public int Applied { get; private set; }

        public int Released { get; private set; }

        public void CreateSchema(SqliteConnection connection, SqliteTransaction transaction)
        {
        }

        public string? Reserve(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount)
        {
            Reserved++;
            return null;
        }

        public void Apply(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount) => Applied++;

        public void Release(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount) => Released++;
    }
}
