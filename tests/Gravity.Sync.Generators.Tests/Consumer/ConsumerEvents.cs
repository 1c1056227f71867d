using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Generators.Tests.Consumer;

/// <summary>The example: one event into two databases, announced by an exporter.</summary>
[Projection("userCreated", Table = "users", Method = ProjectionMethod.Upsert, Databases = ["db1", "db2"], Exporters = ["synced"])]
public sealed record UserCreated([property: Key] long Id, [property: Column("col_name")] string Name, [property: Column("col_email")] string Email);

/// <summary>One event into two tables, a composite key, per-table columns, a left-out property and every kind of field.</summary>
[Projection("orderPlaced", Table = "orders", Databases = ["db1"])]
[Projection("orderPlaced", Table = "order_lines", Method = ProjectionMethod.Insert, Databases = ["db1"])]
public sealed record OrderPlaced(
    [property: Key] string Region,
    [property: Key] int Number,
    [property: Column("total", Type = ColumnType.Decimal, Tables = ["orders"])] double Total,
    [property: Column(Tables = ["order_lines"])] JsonNode? Lines,
    [property: JsonPropertyName("placed_at")] DateTimeOffset PlacedAt,
    OrderState State,
    Guid? Coupon,
    bool Paid,
    [property: NotProjected] IReadOnlyList<string> Tags);

/// <summary>A delete, with a plain [Key] on the positional parameter.</summary>
[Projection("userRemoved", Table = "users", Method = ProjectionMethod.Delete, Databases = ["db1"])]
public sealed record UserRemoved([Key] long Id, string Reason);

public enum OrderState
{
    Open,
    Paid,
}

/// <summary>A struct event: nullable value types, a raw JSON field, a char, an unsigned counter and a number kept as text.</summary>
[Projection("meterRead", Table = "readings", Databases = ["db2"])]
public readonly record struct MeterRead(
    [property: Key] Guid Meter,
    [property: Key] DateTime At,
    double? Value,
    System.Text.Json.JsonElement Raw,
    char Unit,
    ulong Counter,
    [property: Column(Type = ColumnType.String)] int Code);
