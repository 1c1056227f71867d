using System.Diagnostics.CodeAnalysis;

namespace Gravity.Sync.Rules;

/// <summary>
/// Sets the view column a property of a <see cref="ProjectionAttribute"/> event type is written to (<c>"target"</c> in
/// rules.json), its type, and the tables it goes to. On a positional record parameter, apply it as
/// <c>[property: Column("...")]</c> (a plain <c>[Column]</c> on the parameter is accepted too).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
[SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Attribute arguments can only be arrays.")]
public sealed class ColumnAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="ColumnAttribute"/> class that keeps the default column name.</summary>
    public ColumnAttribute()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ColumnAttribute"/> class.</summary>
    /// <param name="name">The column name: letters, digits and _, starting with a letter or _, at most 63 characters.</param>
    public ColumnAttribute(string name)
    {
        Name = name;
    }

    /// <summary>Gets the column name.</summary>
    /// <value>The default value is <see langword="null"/>: the property's payload name (camel case, or its <c>[JsonPropertyName]</c>).</value>
    public string? Name { get; }

    /// <summary>Gets or sets the column type (<c>"type"</c> in rules.json).</summary>
    /// <value>
    /// When it is not set, the source generator infers it from the property type: integers → <see cref="ColumnType.Integer"/>,
    /// <see langword="double"/>/<see langword="float"/> → <see cref="ColumnType.Number"/>, <see langword="decimal"/> →
    /// <see cref="ColumnType.Decimal"/>, <see langword="bool"/> → <see cref="ColumnType.Boolean"/>,
    /// <see cref="DateTime"/>/<see cref="DateTimeOffset"/> → <see cref="ColumnType.Timestamp"/>, JSON elements and nodes →
    /// <see cref="ColumnType.Json"/>, text, <see cref="Guid"/> and <see langword="char"/> → <see cref="ColumnType.String"/>.
    /// Reading it at run time without setting it returns <see cref="ColumnType.String"/>.
    /// </value>
    public ColumnType Type { get; set; }

    /// <summary>Gets or sets the tables (of the type's <see cref="ProjectionAttribute"/>s) the property is written to.</summary>
    /// <value>The default value is empty: every table the type is projected into. Key properties always go to every table.</value>
    public string[] Tables { get; set; } = [];
}
