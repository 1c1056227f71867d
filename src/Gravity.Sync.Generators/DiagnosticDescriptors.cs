using Microsoft.CodeAnalysis;

namespace Gravity.Sync.Generators;

/// <summary>
/// The GRAVITY diagnostics of the projection generator. Ids are stable: never renumber or reuse one; a new rule takes the
/// next free id and is listed in AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Gravity.Projections";

    public static readonly DiagnosticDescriptor EventTypeNotAccessible = new(
        id: "GRAVITY001",
        title: "Event type is not accessible",
        messageFormat: "Event type '{0}' is {1}: make it (and every type it is nested in) public or internal so the generated rules and ToGravityEvent() can use it",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor EventTypeIsGeneric = new(
        id: "GRAVITY002",
        title: "Event type cannot be generic",
        messageFormat: "Event type '{0}' is {1}: a [Projection] event type must be a closed, non-generic type (not nested in a generic type)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidEventName = new(
        id: "GRAVITY003",
        title: "Invalid event name",
        messageFormat: "Event name {0} of '{1}' is invalid: give the name rules match on, a non-empty string without surrounding spaces, for example [Projection(\"userCreated\", Table = \"users\")]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ConflictingEventNames = new(
        id: "GRAVITY004",
        title: "An event type names different events",
        messageFormat: "Event type '{0}' declares event '{1}' here but '{2}' in another [Projection]: a type is one event, so every [Projection] on it names the same event; use one type per event",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidTableName = new(
        id: "GRAVITY005",
        title: "Invalid table name",
        messageFormat: "Table name {0} of '{1}' is invalid: use letters, digits and _, starting with a letter or _, at most 63 characters",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidColumnName = new(
        id: "GRAVITY006",
        title: "Invalid column name",
        messageFormat: "Column name {0} of property '{1}' is invalid: {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateColumnName = new(
        id: "GRAVITY007",
        title: "Two properties write the same column",
        messageFormat: "Properties '{0}' and '{1}' of '{2}' both write column '{3}' of table '{4}': give one of them another [Column(\"...\")] name, or limit it to other tables with [Column(Tables = ...)]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingKey = new(
        id: "GRAVITY008",
        title: "Event type has no key",
        messageFormat: "Event type '{0}' has no [Key] property, but its [Projection] into table '{1}' ({2}) needs one to find the row: mark the property (or properties, for a composite key) that identifies the row with [property: Key]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedPropertyType = new(
        id: "GRAVITY009",
        title: "Property type cannot be written to a column",
        messageFormat: "Property '{0}' has type '{1}', which no view column holds: use string, an integer, double, float, decimal, bool, DateTime, DateTimeOffset, Guid, char, an enum, JsonElement or JsonNode (or Nullable<T> of these), or leave it out with [NotProjected]",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor IncompatibleColumnType = new(
        id: "GRAVITY010",
        title: "Column type does not fit the property type",
        messageFormat: "Property '{0}' of type '{1}' cannot be written as ColumnType.{2}: its payload is {3}, which fits ColumnType {4}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidKeyProperty = new(
        id: "GRAVITY011",
        title: "Invalid key property",
        messageFormat: "Key property '{0}' {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownColumnTable = new(
        id: "GRAVITY012",
        title: "[Column(Tables)] names a table the type is not projected into",
        messageFormat: "Property '{0}' lists table '{1}' in [Column(Tables = ...)], but no [Projection] of '{2}' writes that table (it writes: {3})",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateProjection = new(
        id: "GRAVITY013",
        title: "Event projected into the same table twice",
        messageFormat: "Event '{0}' is projected into table '{1}' by both '{2}' and '{3}'{4}: each event feeds a table once, so remove one of the two [Projection]s (or give them different Databases)",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UndefinedEnumValue = new(
        id: "GRAVITY014",
        title: "Undefined enum value",
        messageFormat: "{0} is not a defined {1} value: use one of {2}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ColumnOnDeleteOrTruncate = new(
        id: "GRAVITY015",
        title: "Column for a table the event deletes from or truncates",
        messageFormat: "Property '{0}' lists table '{1}' in [Column(Tables = ...)], but '{2}' projects into that table with ProjectionMethod.{3}, which writes no columns: remove '{1}' from Tables",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidTargetName = new(
        id: "GRAVITY016",
        title: "Invalid database or exporter name",
        messageFormat: "{0} name {1} of '{2}' is invalid: {3}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PropertyNotProjectable = new(
        id: "GRAVITY017",
        title: "Attribute on a property that cannot be projected",
        messageFormat: "Property '{0}' has [{1}] but cannot be projected: it is {2}; only instance properties with a public or internal getter are event fields",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
