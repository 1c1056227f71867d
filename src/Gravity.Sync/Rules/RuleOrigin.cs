namespace Gravity.Sync.Rules;

/// <summary>Where a rule was declared, so errors can point at it.</summary>
/// <param name="File">The file the rule came from (rules.json, or the source file of an attribute-declared event type).</param>
/// <param name="Index">The rule's position in that file's <c>rules</c> array, or among the type's <c>[Projection]</c> attributes.</param>
public sealed record RuleOrigin(string File, int Index)
{
    /// <summary>Gets the event type a <see cref="ProjectionAttribute"/> rule was declared on (full name), or <see langword="null"/> for rules.json rules.</summary>
    public string? DeclaringType { get; init; }

    /// <summary>Gets the 1-based line of the <see cref="ProjectionAttribute"/> in <see cref="File"/>, when known.</summary>
    public int? Line { get; init; }

    /// <summary>Creates the origin of a rule declared with <see cref="ProjectionAttribute"/> (what the source generator emits).</summary>
    /// <param name="declaringType">The event type's full name.</param>
    /// <param name="file">The source file name.</param>
    /// <param name="line">The attribute's 1-based line.</param>
    /// <param name="index">The attribute's position among the type's <c>[Projection]</c> attributes.</param>
    /// <returns>The origin.</returns>
    public static RuleOrigin ForAttribute(string declaringType, string file, int line, int index)
    {
        ArgumentException.ThrowIfNullOrEmpty(declaringType);
        ArgumentException.ThrowIfNullOrEmpty(file);
        return new RuleOrigin(file, index) { DeclaringType = declaringType, Line = line };
    }

    /// <summary>
    /// Returns the origin as <c>file: rules[index]</c> for rules.json rules, or
    /// <c>File.cs(line): [Projection] on Namespace.Type</c> for attribute-declared rules.
    /// </summary>
    /// <returns>A short description of the origin.</returns>
    public override string ToString() => DeclaringType is null
        ? $"{File}: rules[{Index}]"
        : $"{File}({Line}): [Projection] on {DeclaringType}";

    /// <summary>Names a rules.json field the way this origin spells it (an attribute property for attribute-declared rules).</summary>
    internal string Field(string jsonField) => DeclaringType is null ? jsonField : jsonField switch
    {
        "database" => "Databases",
        "exporter" => "Exporters",
        "table" => "Table",
        "method" => "Method",
        "event" => "EventName",
        _ => jsonField,
    };
}
