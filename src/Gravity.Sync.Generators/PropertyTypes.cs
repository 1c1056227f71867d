using Gravity.Sync.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Gravity.Sync.Generators;

/// <summary>
/// Which property types can be event fields, how each is written to the payload, and which column types can hold what
/// is written (the conversions Gravity.Sync's Engine/ValueConverter.cs accepts).
/// </summary>
internal static class PropertyTypes
{
    public const string String = "String";
    public const string Integer = "Integer";
    public const string Number = "Number";
    public const string Decimal = "Decimal";
    public const string Boolean = "Boolean";
    public const string Timestamp = "Timestamp";
    public const string Json = "Json";

    /// <summary>Classifies a property type; <see langword="false"/> when no column can hold it.</summary>
    public static bool TryClassify(ITypeSymbol type, out PayloadKind kind, out string? cast, out bool canBeNull)
    {
        cast = null;
        canBeNull = type.IsReferenceType;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            canBeNull = true;
            type = nullable.TypeArguments[0];
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            bool unsigned64 = underlying.SpecialType == SpecialType.System_UInt64;
            kind = unsigned64 ? PayloadKind.UInt64 : PayloadKind.Int64;
            cast = unsigned64 ? "ulong" : "long";
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                kind = PayloadKind.String;
                return true;
            case SpecialType.System_Char:
                kind = PayloadKind.Char;
                return true;
            case SpecialType.System_Boolean:
                kind = PayloadKind.Boolean;
                return true;
            case SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64:
                kind = PayloadKind.Int64;
                cast = "long";
                return true;
            case SpecialType.System_UInt64:
                kind = PayloadKind.UInt64;
                return true;
            case SpecialType.System_Single:
                kind = PayloadKind.Single;
                return true;
            case SpecialType.System_Double:
                kind = PayloadKind.Double;
                return true;
            case SpecialType.System_Decimal:
                kind = PayloadKind.Decimal;
                return true;
            case SpecialType.System_DateTime:
                kind = PayloadKind.DateTime;
                return true;
        }

        if (Is(type, "DateTimeOffset", "System"))
        {
            kind = PayloadKind.DateTimeOffset;
            return true;
        }

        if (Is(type, "Guid", "System"))
        {
            kind = PayloadKind.Guid;
            return true;
        }

        if (Is(type, "JsonElement", "Json", "Text", "System"))
        {
            kind = PayloadKind.JsonElement;
            return true;
        }

        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, "JsonNode", "Nodes", "Json", "Text", "System"))
            {
                kind = PayloadKind.JsonNode;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>The column type a property gets when <c>[Column(Type = ...)]</c> does not say.</summary>
    public static string NaturalColumnType(PayloadKind kind) => kind switch
    {
        PayloadKind.Boolean => Boolean,
        PayloadKind.Int64 => Integer,
        PayloadKind.UInt64 or PayloadKind.Decimal => Decimal,
        PayloadKind.Single or PayloadKind.Double => Number,
        PayloadKind.DateTime or PayloadKind.DateTimeOffset => Timestamp,
        PayloadKind.JsonElement or PayloadKind.JsonNode => Json,
        _ => String,
    };

    /// <summary>The column types that accept what a property of this kind writes (the runtime converts or parses it).</summary>
    public static string[] CompatibleColumnTypes(PayloadKind kind) => kind switch
    {
        PayloadKind.String => [String, Integer, Number, Decimal, Boolean, Timestamp],
        PayloadKind.Char or PayloadKind.Guid => [String],
        PayloadKind.Boolean => [Boolean, String],
        PayloadKind.Int64 => [Integer, Number, Decimal, String],
        PayloadKind.UInt64 => [Decimal, Integer, Number, String],
        PayloadKind.Single or PayloadKind.Double => [Number, Decimal, String],
        PayloadKind.Decimal => [Decimal, Number, String],
        PayloadKind.DateTime or PayloadKind.DateTimeOffset => [Timestamp, String],
        _ => [Json, String],
    };

    /// <summary>Describes what a kind writes, for messages.</summary>
    public static string Describe(PayloadKind kind) => kind switch
    {
        PayloadKind.String or PayloadKind.Char or PayloadKind.Guid => "a JSON string",
        PayloadKind.Boolean => "true or false",
        PayloadKind.DateTime or PayloadKind.DateTimeOffset => "an ISO 8601 string",
        PayloadKind.JsonElement or PayloadKind.JsonNode => "JSON",
        _ => "a JSON number",
    };

    /// <summary>Whether a value of this kind can identify a row (JSON documents cannot).</summary>
    public static bool CanBeKey(PayloadKind kind) => kind is not (PayloadKind.JsonElement or PayloadKind.JsonNode);

    /// <summary>Whether the type is the named type in the given namespace (innermost namespace first).</summary>
    public static bool Is(ITypeSymbol? type, string name, params string[] namespaces)
    {
        if (type is not INamedTypeSymbol { TypeArguments.Length: 0, ContainingType: null } named || named.Name != name)
        {
            return false;
        }

        INamespaceSymbol? current = named.ContainingNamespace;
        foreach (string part in namespaces)
        {
            if (current is null || current.Name != part)
            {
                return false;
            }

            current = current.ContainingNamespace;
        }

        return current is { IsGlobalNamespace: true };
    }
}
