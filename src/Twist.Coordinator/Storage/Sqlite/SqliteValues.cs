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

    /// <summary>Adds a named parameter, mapping <see langword="null"/> to SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
