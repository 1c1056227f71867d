using Npgsql;
using NpgsqlTypes;

namespace Twist.Coordinator.PostgreSql;

/// <summary>Converts between CLR values and the column types the schema uses, and adds positional parameters.</summary>
/// <remarks>
/// Times are truncated to milliseconds and stored in UTC, as the SQLite store stores them, so every time the store
/// returns compares equal to the one written and the two stores behave alike. Parameters are positional
/// (<c>$1</c>, <c>$2</c>, …) with explicit types: Npgsql then sends the SQL as written, and a null has a known type.
/// </remarks>
internal static class PostgreSqlValues
{
    /// <summary>Drops sub-millisecond precision and the offset, as a write followed by a read would.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    public static DateTimeOffset? Normalize(DateTimeOffset? value) => value is { } v ? Normalize(v) : null;

    public static NpgsqlCommand Text(this NpgsqlCommand command, string? value) => command.Add(value, NpgsqlDbType.Text);

    public static NpgsqlCommand Int(this NpgsqlCommand command, int? value) => command.Add(value, NpgsqlDbType.Integer);

    public static NpgsqlCommand Time(this NpgsqlCommand command, DateTimeOffset? value) => command.Add(Normalize(value), NpgsqlDbType.TimestampTz);

    public static NpgsqlCommand Json(this NpgsqlCommand command, string? value) => command.Add(value, NpgsqlDbType.Jsonb);

    public static NpgsqlCommand Long(this NpgsqlCommand command, long value) => command.Add(value, NpgsqlDbType.Bigint);

    public static NpgsqlCommand Interval(this NpgsqlCommand command, TimeSpan value) => command.Add(value, NpgsqlDbType.Interval);

    public static NpgsqlBatchCommand Text(this NpgsqlBatchCommand command, string? value) => command.Add(value, NpgsqlDbType.Text);

    public static NpgsqlBatchCommand Int(this NpgsqlBatchCommand command, int? value) => command.Add(value, NpgsqlDbType.Integer);

    public static NpgsqlBatchCommand Time(this NpgsqlBatchCommand command, DateTimeOffset? value) => command.Add(Normalize(value), NpgsqlDbType.TimestampTz);

    public static NpgsqlBatchCommand Json(this NpgsqlBatchCommand command, string? value) => command.Add(value, NpgsqlDbType.Jsonb);

    public static NpgsqlBatchCommand Long(this NpgsqlBatchCommand command, long value) => command.Add(value, NpgsqlDbType.Bigint);

    public static NpgsqlBatchCommand Interval(this NpgsqlBatchCommand command, TimeSpan value) => command.Add(value, NpgsqlDbType.Interval);

    public static NpgsqlBatchCommand Double(this NpgsqlBatchCommand command, double value) => command.Add(value, NpgsqlDbType.Double);

    private static NpgsqlCommand Add(this NpgsqlCommand command, object? value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        return command;
    }

    private static NpgsqlBatchCommand Add(this NpgsqlBatchCommand command, object? value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        return command;
    }
}
