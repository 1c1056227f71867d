namespace Gravity.Sync.Generators.Model;

/// <summary>How a property's value is written to the JSON payload (and so which column types it fits).</summary>
internal enum PayloadKind
{
    /// <summary><see cref="string"/>: a JSON string the runtime may also parse as a number, boolean or timestamp.</summary>
    String,

    /// <summary><see cref="char"/>: a one-character JSON string.</summary>
    Char,

    /// <summary><see cref="System.Guid"/>: a JSON string.</summary>
    Guid,

    /// <summary><see cref="bool"/>: true or false.</summary>
    Boolean,

    /// <summary>A signed or unsigned integer that fits a 64-bit signed integer, or an enum over one.</summary>
    Int64,

    /// <summary><see cref="ulong"/>, or an enum over it: a JSON number that may exceed a 64-bit signed integer.</summary>
    UInt64,

    /// <summary><see cref="float"/>.</summary>
    Single,

    /// <summary><see cref="double"/>.</summary>
    Double,

    /// <summary><see cref="decimal"/>.</summary>
    Decimal,

    /// <summary><see cref="System.DateTime"/>: an ISO 8601 JSON string.</summary>
    DateTime,

    /// <summary><see cref="System.DateTimeOffset"/>: an ISO 8601 JSON string.</summary>
    DateTimeOffset,

    /// <summary>System.Text.Json.JsonElement: written as is.</summary>
    JsonElement,

    /// <summary>System.Text.Json.Nodes.JsonNode or a type derived from it: written as is.</summary>
    JsonNode,
}
