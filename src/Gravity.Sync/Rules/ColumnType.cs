using System.Diagnostics.CodeAnalysis;

namespace Gravity.Sync.Rules;

/// <summary>
/// The logical type of a view column. Event fields are converted to it before they are written, so a payload of the
/// wrong type is caught (and its key parked) instead of being written as garbage.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the words rules.json uses for column types (\"type\": \"string\").")]
public enum ColumnType
{
    /// <summary>Text. Numbers, booleans and JSON objects are written as their JSON text.</summary>
    String,

    /// <summary>A 64-bit integer.</summary>
    Integer,

    /// <summary>A double-precision floating-point number.</summary>
    Number,

    /// <summary>An exact decimal number.</summary>
    Decimal,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>A point in time, written in UTC; events carry it as ISO 8601 text.</summary>
    Timestamp,

    /// <summary>JSON text (jsonb on PostgreSQL).</summary>
    Json,
}
