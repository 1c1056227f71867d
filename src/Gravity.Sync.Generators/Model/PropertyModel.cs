using Shared.Generators;

namespace Gravity.Sync.Generators.Model;

/// <summary>A projected property of an event type, as the emitters need it.</summary>
/// <param name="Name">The property name, escaped if it is a keyword.</param>
/// <param name="Source">The payload field name (camel case, or <c>[JsonPropertyName]</c>).</param>
/// <param name="Column">The column name.</param>
/// <param name="ColumnType">The <c>ColumnType</c> member name.</param>
/// <param name="Kind">How the value is written to the payload.</param>
/// <param name="Cast">A cast applied before writing (enums: <c>long</c> or <c>ulong</c>), or <see langword="null"/>.</param>
/// <param name="CanBeNull">Whether the value can be null (reference types and <c>Nullable&lt;T&gt;</c>).</param>
/// <param name="IsKey">Whether the property is part of the key.</param>
/// <param name="Tables">The tables the property goes to; empty means every table of the type.</param>
internal sealed record PropertyModel(
    string Name,
    string Source,
    string Column,
    string ColumnType,
    PayloadKind Kind,
    string? Cast,
    bool CanBeNull,
    bool IsKey,
    EquatableArray<string> Tables);
