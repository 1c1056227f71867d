using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Gravity.Sync.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Shared.Generators;

namespace Gravity.Sync.Generators;

/// <summary>
/// Turns one <c>[Projection]</c> event type into an equatable <see cref="ProjectionParseResult"/>: the symbols are read
/// here and nowhere else, so no <see cref="ISymbol"/> reaches the later pipeline steps.
/// </summary>
internal static class ProjectionParser
{
    public const string ProjectionAttributeMetadataName = "Gravity.Sync.Rules.ProjectionAttribute";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    public static bool IsCandidate(SyntaxNode node) =>
        node is TypeDeclarationSyntax and not InterfaceDeclarationSyntax;

    public static ProjectionParseResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        List<AttributeData> projections = [.. type.GetAttributes().Where(static a => IsRulesAttribute(a.AttributeClass, "ProjectionAttribute"))];

        // A partial type is visited once per part that carries [Projection]; read all of its attributes on the first one.
        SyntaxReference? first = projections.Select(static a => a.ApplicationSyntaxReference).FirstOrDefault(static r => r is not null);
        if (first is null || first.SyntaxTree != context.TargetNode.SyntaxTree || !context.TargetNode.Span.Contains(first.Span))
        {
            return null;
        }

        var parse = new TypeParse(type, context.SemanticModel.Compilation, (TypeDeclarationSyntax)context.TargetNode, cancellationToken);
        return parse.Run(projections);
    }

    internal static bool IsRulesAttribute(INamedTypeSymbol? attribute, string name) =>
        PropertyTypes.Is(attribute, name, "Rules", "Sync", "Gravity");

    private static LocationInfo? ArgumentLocation(AttributeData attribute, string? name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        AttributeArgumentSyntax? argument = syntax.ArgumentList?.Arguments.FirstOrDefault(a => name is null
            ? a.NameEquals is null && a.NameColon is null
            : a.NameEquals?.Name.Identifier.ValueText == name);
        return LocationInfo.From((argument ?? (SyntaxNode)syntax).GetLocation());
    }

    private static TypedConstant? Named(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static string Literal(string? value) => value is null ? "null" : SymbolDisplay.FormatLiteral(value, quote: true);

    private static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>The state of parsing one type: its diagnostics and what is known so far.</summary>
    private sealed class TypeParse(INamedTypeSymbol type, Compilation compilation, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        private readonly List<DiagnosticInfo> _diagnostics = [];
        private readonly string _typeDisplay = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        private bool _incomplete;

        public ProjectionParseResult Run(List<AttributeData> attributes)
        {
            bool typeIsUsable = CheckType();
            (List<ProjectionModel> projections, List<ProjectionSite> sites, string? eventName) = ReadProjections(attributes);

            // The properties of a type the generated code cannot name are beside the point: fix the type first.
            List<(PropertyModel Model, LocationInfo? Location)> properties = typeIsUsable ? ReadProperties() : [];
            if (typeIsUsable)
            {
                CheckPropertiesAgainstProjections(properties, projections);
            }

            EventTypeModel? model = _diagnostics.Count == 0 && !_incomplete && eventName is not null
                ? new EventTypeModel(
                    type.ToDisplayString(TypeFormat),
                    _typeDisplay,
                    eventName,
                    type.IsValueType,
                    new EquatableArray<PropertyModel>(properties.Select(static p => p.Model)),
                    new EquatableArray<ProjectionModel>(projections))
                : null;
            return new ProjectionParseResult(new EquatableArray<ProjectionSite>(sites), model, new EquatableArray<DiagnosticInfo>(_diagnostics));
        }

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));

        private bool CheckType()
        {
            int before = _diagnostics.Count;
            LocationInfo? location = LocationInfo.From(declaration.Identifier.GetLocation());
            string? inaccessible = type.IsFileLocal ? "file-local" : null;
            for (INamedTypeSymbol? current = type; current is not null && inaccessible is null; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                {
                    string accessibility = current.DeclaredAccessibility switch
                    {
                        Accessibility.Private => "private",
                        Accessibility.Protected => "protected",
                        Accessibility.ProtectedAndInternal => "private protected",
                        _ => "not accessible",
                    };
                    inaccessible = SymbolEqualityComparer.Default.Equals(current, type)
                        ? accessibility
                        : $"nested in {accessibility} type '{current.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}'";
                }
            }

            if (inaccessible is not null)
            {
                Report(DiagnosticDescriptors.EventTypeNotAccessible, location, _typeDisplay, inaccessible);
            }

            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current.TypeParameters.Length > 0)
                {
                    Report(DiagnosticDescriptors.EventTypeIsGeneric, location, _typeDisplay, SymbolEqualityComparer.Default.Equals(current, type) ? "generic" : "nested in a generic type");
                    break;
                }
            }

            return _diagnostics.Count == before;
        }

        private (List<ProjectionModel> Projections, List<ProjectionSite> Sites, string? EventName) ReadProjections(List<AttributeData> attributes)
        {
            var projections = new List<ProjectionModel>();
            var sites = new List<ProjectionSite>();
            string? eventName = null;
            for (int index = 0; index < attributes.Count; index++)
            {
                AttributeData attribute = attributes[index];
                TypedConstant? table = Named(attribute, "Table");
                if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind == TypedConstantKind.Error || table is null)
                {
                    // The attribute does not bind, or misses its required Table: the compiler reports that.
                    _incomplete = true;
                    continue;
                }

                int before = _diagnostics.Count;
                string? name = attribute.ConstructorArguments[0].Value as string;
                LocationInfo? nameLocation = ArgumentLocation(attribute, null, cancellationToken);
                if (string.IsNullOrWhiteSpace(name) || name!.Trim().Length != name.Length)
                {
                    Report(DiagnosticDescriptors.InvalidEventName, nameLocation, Literal(name), _typeDisplay);
                    name = null;
                }
                else if (eventName is null)
                {
                    eventName = name;
                }
                else if (eventName != name)
                {
                    Report(DiagnosticDescriptors.ConflictingEventNames, nameLocation, _typeDisplay, name, eventName);
                }

                string? tableName = table.Value.Value as string;
                if (!Names.IsValidIdentifier(tableName))
                {
                    Report(DiagnosticDescriptors.InvalidTableName, ArgumentLocation(attribute, "Table", cancellationToken), Literal(tableName), _typeDisplay);
                    tableName = null;
                }

                string method = Named(attribute, "Method") is null ? "Upsert" : ReadEnum(attribute, "Method", "ProjectionMethod") ?? "Upsert";
                List<string> databases = ReadNames(attribute, "Databases", "Database", isIdentifier: true);
                List<string> exporters = ReadNames(attribute, "Exporters", "Exporter", isIdentifier: false);

                LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation());
                if (name is not null && tableName is not null)
                {
                    sites.Add(new ProjectionSite(name, tableName, new EquatableArray<string>(databases.Distinct()), _typeDisplay, location));
                }

                if (_diagnostics.Count == before && tableName is not null)
                {
                    FileLinePositionSpan? span = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation().GetLineSpan();
                    projections.Add(new ProjectionModel(
                        tableName,
                        method,
                        new EquatableArray<string>(databases),
                        new EquatableArray<string>(exporters),
                        Path.GetFileName(span?.Path ?? string.Empty) is { Length: > 0 } file ? file : _typeDisplay,
                        (span?.StartLinePosition.Line ?? 0) + 1,
                        index));
                }
            }

            return (projections, sites, eventName);
        }

        /// <summary>Reads an enum-typed named argument as its member name; reports and returns null for an undefined value.</summary>
        private string? ReadEnum(AttributeData attribute, string property, string enumName)
        {
            if (Named(attribute, property) is not { Type: INamedTypeSymbol enumType } value)
            {
                return null;
            }

            List<IFieldSymbol> members = [.. enumType.GetMembers().OfType<IFieldSymbol>().Where(static f => f.HasConstantValue)];
            IFieldSymbol? member = members.FirstOrDefault(f => Equals(f.ConstantValue, value.Value));
            if (member is null)
            {
                Report(
                    DiagnosticDescriptors.UndefinedEnumValue,
                    ArgumentLocation(attribute, property, cancellationToken),
                    $"{property} = {value.Value}",
                    enumName,
                    string.Join(", ", members.Select(m => $"{enumName}.{m.Name}")));
                return null;
            }

            return member.Name;
        }

        private List<string> ReadNames(AttributeData attribute, string property, string kind, bool isIdentifier)
        {
            var names = new List<string>();
            if (Named(attribute, property) is not { Kind: TypedConstantKind.Array } array)
            {
                return names;
            }

            foreach (TypedConstant item in array.Values)
            {
                string? name = item.Value as string;
                bool valid = isIdentifier ? Names.IsValidIdentifier(name) : !string.IsNullOrWhiteSpace(name) && name!.Trim().Length == name.Length;
                if (!valid)
                {
                    Report(
                        DiagnosticDescriptors.InvalidTargetName,
                        ArgumentLocation(attribute, property, cancellationToken),
                        kind,
                        Literal(name),
                        _typeDisplay,
                        isIdentifier ? "use " + Names.IdentifierRule + ", as in databases.json" : "use a non-empty name without surrounding spaces, as in exporter.json");
                    continue;
                }

                names.Add(name!);
            }

            return names;
        }

        private List<(PropertyModel Model, LocationInfo? Location)> ReadProperties()
        {
            var result = new List<(PropertyModel, LocationInfo?)>();
            foreach (IPropertySymbol property in CollectProperties())
            {
                cancellationToken.ThrowIfCancellationRequested();
                ImmutableArray<AttributeData> attributes = AttributesOf(property);
                LocationInfo? location = LocationInfo.From(property.Locations.FirstOrDefault(static l => l.IsInSource));
                bool isKey = attributes.Any(static a => IsRulesAttribute(a.AttributeClass, "KeyAttribute"));
                bool notProjected = attributes.Any(static a => IsRulesAttribute(a.AttributeClass, "NotProjectedAttribute"));
                AttributeData? column = attributes.FirstOrDefault(static a => IsRulesAttribute(a.AttributeClass, "ColumnAttribute"));
                if (notProjected)
                {
                    if (isKey)
                    {
                        Report(DiagnosticDescriptors.InvalidKeyProperty, location, property.Name, "is marked [NotProjected]: a key is what finds the row, so it must be projected; remove one of the two attributes");
                    }

                    continue;
                }

                if (ContainsErrorType(property.Type))
                {
                    _incomplete = true; // the compiler reports the unknown type
                    continue;
                }

                string typeText = property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                if (!PropertyTypes.TryClassify(property.Type, out PayloadKind kind, out string? cast, out bool canBeNull))
                {
                    Report(DiagnosticDescriptors.UnsupportedPropertyType, location, property.Name, typeText);
                    continue;
                }

                string source = JsonName(property) ?? Names.CamelCase(property.Name);
                string? declaredColumn = column is { ConstructorArguments.Length: 1 } ? column.ConstructorArguments[0].Value as string : null;
                string columnName = declaredColumn ?? source;
                LocationInfo? columnLocation = declaredColumn is not null ? ArgumentLocation(column!, null, cancellationToken) : location;
                if (!Names.IsValidIdentifier(columnName))
                {
                    string fix = "use " + Names.IdentifierRule + (declaredColumn is null ? ", for example with [property: Column(\"...\")]" : string.Empty);
                    Report(DiagnosticDescriptors.InvalidColumnName, columnLocation, Literal(columnName), property.Name, fix);
                }
                else if (string.Equals(columnName, Names.PositionColumn, System.StringComparison.OrdinalIgnoreCase))
                {
                    Report(DiagnosticDescriptors.InvalidColumnName, columnLocation, Literal(columnName), property.Name, "the column is reserved for the source position Gravity keeps in every row; choose another name");
                }

                string columnType = PropertyTypes.NaturalColumnType(kind);
                if (column is not null && Named(column, "Type") is not null && ReadEnum(column, "Type", "ColumnType") is { } declaredType)
                {
                    string[] compatible = PropertyTypes.CompatibleColumnTypes(kind);
                    if (System.Array.IndexOf(compatible, declaredType) < 0)
                    {
                        Report(
                            DiagnosticDescriptors.IncompatibleColumnType,
                            ArgumentLocation(column, "Type", cancellationToken),
                            property.Name,
                            typeText,
                            declaredType,
                            PropertyTypes.Describe(kind),
                            string.Join(", ", compatible));
                    }

                    columnType = declaredType;
                }

                List<string> tables = column is not null ? ReadStrings(column, "Tables") : [];
                if (isKey && !PropertyTypes.CanBeKey(kind))
                {
                    Report(DiagnosticDescriptors.InvalidKeyProperty, location, property.Name, $"has type '{typeText}', which cannot identify a row: use text, a number, a boolean, a timestamp or a Guid");
                }

                if (isKey && tables.Count > 0)
                {
                    Report(DiagnosticDescriptors.InvalidKeyProperty, location, property.Name, "is limited to some tables with [Column(Tables = ...)]: the key goes to every table the type is projected into; remove Tables");
                }

                result.Add((new PropertyModel(
                    EscapeIdentifier(property.Name),
                    source,
                    columnName,
                    columnType,
                    kind,
                    cast,
                    canBeNull,
                    isKey,
                    new EquatableArray<string>(tables)), location));
            }

            return result;
        }

        private void CheckPropertiesAgainstProjections(List<(PropertyModel Model, LocationInfo? Location)> properties, List<ProjectionModel> projections)
        {
            if (projections.Count == 0)
            {
                return;
            }

            var tables = new HashSet<string>(projections.Select(static p => p.Table));
            foreach ((PropertyModel property, LocationInfo? location) in properties)
            {
                foreach (string table in property.Tables)
                {
                    if (!tables.Contains(table))
                    {
                        Report(DiagnosticDescriptors.UnknownColumnTable, location, property.Name, table, _typeDisplay, string.Join(", ", tables.OrderBy(static t => t, System.StringComparer.Ordinal)));
                    }
                    else if (projections.Where(p => p.Table == table).All(static p => p.Method is "Delete" or "Truncate"))
                    {
                        Report(DiagnosticDescriptors.ColumnOnDeleteOrTruncate, location, property.Name, table, _typeDisplay, projections.First(p => p.Table == table).Method);
                    }
                }
            }

            if (!properties.Any(static p => p.Model.IsKey) && projections.FirstOrDefault(static p => p.Method != "Truncate") is { } needsKey)
            {
                Report(DiagnosticDescriptors.MissingKey, LocationInfo.From(declaration.Identifier.GetLocation()), _typeDisplay, needsKey.Table, "ProjectionMethod." + needsKey.Method);
            }

            var reported = new HashSet<(string, string)>();
            foreach (ProjectionModel projection in projections)
            {
                var columns = new Dictionary<string, PropertyModel>(System.StringComparer.Ordinal);
                foreach ((PropertyModel property, LocationInfo? location) in properties.Where(p => GoesTo(p.Model, projection)))
                {
                    if (!columns.TryGetValue(property.Column, out PropertyModel? other))
                    {
                        columns[property.Column] = property;
                    }
                    else if (reported.Add((other.Name, property.Name)))
                    {
                        Report(DiagnosticDescriptors.DuplicateColumnName, location, other.Name, property.Name, _typeDisplay, property.Column, projection.Table);
                    }
                }
            }
        }

        private static List<string> ReadStrings(AttributeData attribute, string property)
        {
            var values = new List<string>();
            if (Named(attribute, property) is { Kind: TypedConstantKind.Array } array)
            {
                foreach (TypedConstant item in array.Values)
                {
                    if (item.Value is string value)
                    {
                        values.Add(value);
                    }
                }
            }

            return values;
        }

        private List<IPropertySymbol> CollectProperties()
        {
            // Base type members first, as they are declared; an override or a 'new' property takes its base's place.
            var chain = new List<INamedTypeSymbol>();
            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                chain.Insert(0, current);
            }

            var ordered = new List<IPropertySymbol>();
            var byName = new Dictionary<string, int>(System.StringComparer.Ordinal);
            foreach (INamedTypeSymbol current in chain)
            {
                foreach (IPropertySymbol property in current.GetMembers().OfType<IPropertySymbol>())
                {
                    string? notProjectable = NotProjectableReason(property);
                    if (notProjectable is not null)
                    {
                        ReportAttributesOnIgnored(property, notProjectable);
                        continue;
                    }

                    if (byName.TryGetValue(property.Name, out int at))
                    {
                        ordered[at] = property;
                    }
                    else
                    {
                        byName[property.Name] = ordered.Count;
                        ordered.Add(property);
                    }
                }
            }

            return ordered;
        }

        private string? NotProjectableReason(IPropertySymbol property)
        {
            if (property.IsStatic)
            {
                return "static";
            }

            if (property.IsIndexer)
            {
                return "an indexer";
            }

            if (!property.ExplicitInterfaceImplementations.IsEmpty)
            {
                return "an explicit interface implementation";
            }

            if (property.GetMethod is null)
            {
                return "write-only";
            }

            return compilation.IsSymbolAccessibleWithin(property.GetMethod, compilation.Assembly) && compilation.IsSymbolAccessibleWithin(property, compilation.Assembly)
                ? null
                : "not readable outside the type (its getter is private or protected)";
        }

        private void ReportAttributesOnIgnored(IPropertySymbol property, string reason)
        {
            if (!SymbolEqualityComparer.Default.Equals(property.ContainingType, type) && property.Locations.All(static l => !l.IsInSource))
            {
                return;
            }

            foreach (AttributeData attribute in property.GetAttributes())
            {
                foreach (string name in new[] { "KeyAttribute", "ColumnAttribute" })
                {
                    if (IsRulesAttribute(attribute.AttributeClass, name))
                    {
                        Report(
                            DiagnosticDescriptors.PropertyNotProjectable,
                            LocationInfo.From(property.Locations.FirstOrDefault(static l => l.IsInSource)),
                            property.Name,
                            name.Substring(0, name.Length - "Attribute".Length),
                            reason);
                    }
                }
            }
        }

        private ImmutableArray<AttributeData> AttributesOf(IPropertySymbol property)
        {
            // A plain [Key] on a positional record parameter lands on the parameter, not the property: accept it there too.
            ImmutableArray<AttributeData> attributes = property.GetAttributes();
            foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not ParameterSyntax)
                {
                    continue;
                }

                foreach (IMethodSymbol constructor in property.ContainingType.InstanceConstructors)
                {
                    foreach (IParameterSymbol parameter in constructor.Parameters)
                    {
                        if (parameter.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == reference.SyntaxTree && r.Span == reference.Span))
                        {
                            return attributes.AddRange(parameter.GetAttributes());
                        }
                    }
                }
            }

            return attributes;
        }

        private static bool GoesTo(PropertyModel property, ProjectionModel projection) =>
            property.IsKey || (projection.Method is not ("Delete" or "Truncate") && (property.Tables.Count == 0 || property.Tables.Contains(projection.Table)));

        private static string? JsonName(IPropertySymbol property)
        {
            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (PropertyTypes.Is(attribute.AttributeClass, "JsonPropertyNameAttribute", "Serialization", "Json", "Text", "System")
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is string name)
                {
                    return name;
                }
            }

            return null;
        }

        private static bool ContainsErrorType(ITypeSymbol type) => type switch
        {
            { TypeKind: TypeKind.Error } => true,
            IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
            _ => false,
        };
    }
}
