using Gravity.Sync.Rules;

namespace Company.Sync1;

// Projection rules come in two forms that load into one rule set: rules/rules.json holds OrderPlaced's (the seed's
// format: an operator can change it without a rebuild), and the events below declare theirs with attributes. Gravity's
// source generator turns these into rules at build time (a mistake is a compiler error, GRAVITY001-017) and writes
// AddGeneratedProjections(), which SyncApp registers, and a ToGravityEvent() payload writer for publishers.

/// <summary>An order left the warehouse: its summary row gets the new status.</summary>
[Projection("OrderShipped", Table = "order_summary", Databases = ["views"])]
public sealed record OrderShipped([property: Key, Column("order_id")] string OrderId, string Status);

/// <summary>An order was cancelled: its summary row is deleted.</summary>
[Projection("OrderCancelled", Table = "order_summary", Method = ProjectionMethod.Delete, Databases = ["views"])]
public sealed record OrderCancelled([property: Key, Column("order_id")] string OrderId);
