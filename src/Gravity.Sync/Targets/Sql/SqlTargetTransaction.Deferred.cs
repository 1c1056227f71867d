using System.Data.Common;
using System.Globalization;

namespace Gravity.Sync.Targets.Sql;

/// <summary>
/// Statements that return nothing the caller reads (the row writes and the checkpoint) wait and go to the server
/// together, in one round trip with the next statement that must run at once or just before the commit, in the order
/// they were issued. Only where the dialect sends array parameters (PostgreSQL) and the driver batches: a batch of
/// 500 rows with keys repeated in it is several statements, and each would otherwise be a round trip of its own.
/// A failing statement then surfaces from that later call; the caller's retry and isolation treat the transaction
/// as a whole either way.
/// </summary>
internal sealed partial class SqlTargetTransaction
{
    private DbBatch? _deferred;

    private bool Defers => dialect.UsesArrayParameters && connection.CanCreateBatch;

    /// <summary>Adds a statement to the deferred batch.</summary>
    private void Defer(string sql, ReadOnlySpan<object?> values)
    {
        var batch = _deferred;
        if (batch is null)
        {
            batch = connection.CreateBatch();
            batch.Connection = connection;
            batch.Transaction = transaction;
            _deferred = batch;
        }

        var command = batch.CreateBatchCommand();
#pragma warning disable CA2100 // Built from validated identifiers and constants; every value travels as a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(command);
    }

    /// <summary>Sends the deferred statements, if any; they are dropped from the batch first, so a failure is not sent again.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_deferred is not { } batch)
        {
            return;
        }

        _deferred = null;
        await using (batch.ConfigureAwait(false))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
