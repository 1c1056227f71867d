using Microsoft.Data.Sqlite;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>Converts between CLR values and the column representations the SQLite schema uses.</summary>
/// <remarks>
/// Times are stored as Unix milliseconds (UTC) so that range scans on the indexes compare integers, and every time the
/// store returns has been through the same truncation, so values written and read back compare equal.
/// </remarks>
internal static class SqliteValues
{
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Drops sub-millisecond precision and the offset, as a write followed by a read would.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value) => FromUnixMs(ToUnixMs(value));

    /// <summary>Sets a named parameter, mapping <see langword="null"/> to SQL NULL.</summary>
    /// <remarks>
    /// A session's prepared command keeps its parameter objects between uses (<see cref="SqliteSession.Command"/>), so
    /// the value is set in place when the parameter exists: the write path binds about 65 values per transaction and
    /// allocating a new parameter for each was a sixth of the bytes the embedded coordinator allocated.
    /// </remarks>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].ParameterName, name, StringComparison.Ordinal))
            {
                parameters[i].Value = value ?? DBNull.Value;
                return command;
            }
        }

        parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
