using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Gravity.Bench;

/// <summary>How the baseline writes a batch.</summary>
internal enum BaselineKind
{
    /// <summary>The baseline: one multi-row <c>INSERT ... VALUES (...), (...) ON CONFLICT DO UPDATE</c> per batch, built for each batch.</summary>
    MultiRow,

    /// <summary>
    /// The statement technique Gravity's dialect uses, hand-written: on SQLite one single-row upsert re-run for each row
    /// (the command keeps it prepared); on PostgreSQL one upsert from <c>unnest</c> of one array per column, not
    /// explicitly prepared, as Gravity sends it. It measures what the synchronizer costs on top of the same writes,
    /// rather than what its statements gain over the plain loop.
    /// </summary>
    SameStatements,
}

/// <summary>
/// The baseline: what a hand-written projector would do with the same rows and no synchronizer. It already holds the
/// rows in memory (no log to read, no JSON to parse), keeps the last version of each key within a batch, and writes
/// each batch in one transaction on one connection. No position guard, no checkpoint, no parked keys.
/// </summary>
internal static class BaselineWriter
{
    private static readonly string[] Columns = ["user_id", "name", "gender", "city", "birth_of_day", "address", "_gravity_position"];

    private static readonly string Upsert = " ON CONFLICT (\"user_id\") DO UPDATE SET " + string.Join(", ", Columns.Skip(1).Select(c => $"\"{c}\" = excluded.\"{c}\""));

    private static readonly string Insert = "INSERT INTO \"user_profile\" (" + string.Join(", ", Columns.Select(c => "\"" + c + "\"")) + ")";

    public static async Task RunAsync(BenchDatabase database, ProfileRow[] rows, int batchRows, BaselineKind kind)
    {
        await using var connection = await database.OpenAsync();
        await BenchDatabase.ExecuteAsync(connection, database.CreateTableSql);
        var latest = new Dictionary<string, int>(batchRows, StringComparer.Ordinal);
        DbCommand? reused = null;
        for (var offset = 0; offset < rows.Length; offset += batchRows)
        {
            latest.Clear();
            for (var i = offset; i < Math.Min(rows.Length, offset + batchRows); i++)
            {
                latest[rows[i].UserId] = i; // an existing key keeps its place and takes the newer row
            }

            await using var transaction = await connection.BeginTransactionAsync();
            if (kind == BaselineKind.MultiRow)
            {
                await MultiRowAsync(connection, transaction, rows, latest.Values);
            }
            else if (database is SqliteBenchDatabase)
            {
                reused ??= Command(connection, Insert + " VALUES (" + string.Join(", ", Columns.Select((_, c) => "@p" + c.ToString(CultureInfo.InvariantCulture))) + ")" + Upsert, Columns.Length);
                reused.Transaction = transaction;
                foreach (var i in latest.Values)
                {
                    Bind(reused, 0, rows[i], i);
                    await reused.ExecuteNonQueryAsync();
                }
            }
            else
            {
                reused ??= Command(connection, Insert + " SELECT * FROM unnest(" + string.Join(", ", Columns.Select((_, c) => "@p" + c.ToString(CultureInfo.InvariantCulture))) + ")" + Upsert, Columns.Length);
                reused.Transaction = transaction;
                var picked = latest.Values.Select(i => (Row: rows[i], Position: (long)i + 1)).ToList();
                reused.Parameters[0].Value = picked.Select(p => p.Row.UserId).ToArray();
                reused.Parameters[1].Value = picked.Select(p => p.Row.Name).ToArray();
                reused.Parameters[2].Value = picked.Select(p => p.Row.Gender).ToArray();
                reused.Parameters[3].Value = picked.Select(p => p.Row.City).ToArray();
                reused.Parameters[4].Value = picked.Select(p => p.Row.BirthOfDay).ToArray();
                reused.Parameters[5].Value = picked.Select(p => p.Row.Address).ToArray();
                reused.Parameters[6].Value = picked.Select(p => p.Position).ToArray();
                await reused.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        if (reused is not null)
        {
            await reused.DisposeAsync();
        }
    }

    private static async Task MultiRowAsync(DbConnection connection, DbTransaction transaction, ProfileRow[] rows, IEnumerable<int> picked)
    {
        var sql = new StringBuilder(Insert).Append(" VALUES ");
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var n = 0;
        foreach (var i in picked)
        {
            sql.Append(n == 0 ? "(" : ", (");
            for (var c = 0; c < Columns.Length; c++)
            {
                var name = "@p" + ((n * Columns.Length) + c).ToString(CultureInfo.InvariantCulture);
                sql.Append(c == 0 ? string.Empty : ", ").Append(name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            Bind(command, n * Columns.Length, rows[i], i);
            sql.Append(')');
            n++;
        }

        command.CommandText = sql.Append(Upsert).ToString();
        await command.ExecuteNonQueryAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var c = 0; c < parameters; c++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + c.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Bind(DbCommand command, int first, ProfileRow row, int index)
    {
        object[] values = [row.UserId, row.Name, row.Gender, row.City, row.BirthOfDay, row.Address, (long)index + 1];
        for (var c = 0; c < values.Length; c++)
        {
            command.Parameters[first + c].Value = values[c];
        }
    }
}
