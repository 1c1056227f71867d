using System.Diagnostics.CodeAnalysis;

namespace Gravity.Sync.Rules;

/// <summary>
/// Declares that events of the marked type are projected into a view table: the attribute form of a rules.json rule.
/// The Gravity source generator (shipped in this package) turns every <c>[Projection]</c> of a compilation into
/// <see cref="RuleDeclaration"/>s at build time, registered with the generated <c>AddGeneratedProjections()</c>, and
/// reports mistakes as GRAVITY compiler errors.
/// </summary>
/// <remarks>
/// <para>
/// The type's public instance properties are the event's fields: each is written to the payload under its camel-case
/// name (or its <c>[JsonPropertyName]</c>) and copied to the column of the same name, unless <see cref="ColumnAttribute"/>
/// says otherwise; <see cref="KeyAttribute"/> marks the key columns; <see cref="NotProjectedAttribute"/> leaves a
/// property out. The generated <c>ToGravityEvent()</c> extension writes that payload, so publisher and rule agree by
/// construction.
/// </para>
/// <para>Apply the attribute more than once to feed several tables from one event.</para>
/// </remarks>
/// <param name="eventName">The event name rules match on (<c>"event"</c> in rules.json), e.g. <c>userCreated</c>.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
[SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Attribute arguments can only be arrays.")]
public sealed class ProjectionAttribute(string eventName) : Attribute
{
    /// <summary>Gets the event name rules match on.</summary>
    public string EventName { get; } = eventName;

    /// <summary>Gets or sets the view table (<c>"table"</c> in rules.json).</summary>
    public required string Table { get; set; }

    /// <summary>Gets or sets what the projection does with the event's row (<c>"method"</c> in rules.json).</summary>
    /// <value>The default value is <see cref="ProjectionMethod.Upsert"/>.</value>
    public ProjectionMethod Method { get; set; } = ProjectionMethod.Upsert;

    /// <summary>Gets or sets the databases (names from databases.json or declared in code) the table lives in.</summary>
    /// <value>
    /// The default value is empty: the databases that rules.json attaches to the event
    /// (<c>{"event":"userCreated","database":"db1"}</c>), or else the default database.
    /// </value>
    public string[] Databases { get; set; } = [];

    /// <summary>Gets or sets the exporters that announce each event applied to the table.</summary>
    /// <value>The default value is empty.</value>
    public string[] Exporters { get; set; } = [];
}
