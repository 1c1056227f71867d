using System.Text.Json;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Generators.Tests;

/// <summary>The generator repeats two runtime rules; these tests keep the copies equal to the originals.</summary>
public sealed class NamesTests
{
    public static TheoryData<string> Identifiers() =>
    [
        "users", "col_name", "_private", "Users2", "a", new string('x', 63), new string('x', 64), "", "2fast", "user-id",
        "first name", "naïve", "用戶", "$x", "x$", "_", "__", "_gravity_position",
    ];

    public static TheoryData<string> PropertyNames() =>
    [
        "Id", "UserId", "URL", "IOStream", "ID2", "already", "X", "ABCdef", "HTTPServerName", "_Hidden", "Ünicode", "A_B",
    ];

    [Theory]
    [MemberData(nameof(Identifiers))]
    public void Identifier_rule_equals_the_runtime_rule(string name)
    {
        Assert.Equal(Rules.Identifiers.IsValid(name), Names.IsValidIdentifier(name));
    }

    [Fact]
    public void Identifier_rule_text_and_position_column_equal_the_runtime_ones()
    {
        Assert.Equal(Rules.Identifiers.Rule, Names.IdentifierRule);
        Assert.Equal(Rules.Identifiers.PositionColumn, Names.PositionColumn);
    }

    [Theory]
    [MemberData(nameof(PropertyNames))]
    public void Payload_names_are_what_a_camel_case_JsonSerializerContext_writes(string propertyName)
    {
        Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(propertyName), Names.CamelCase(propertyName));
    }

    [Fact]
    public void The_column_types_the_generator_names_are_the_runtime_ColumnType_members()
    {
        string[] named = [PropertyTypes.String, PropertyTypes.Integer, PropertyTypes.Number, PropertyTypes.Decimal, PropertyTypes.Boolean, PropertyTypes.Timestamp, PropertyTypes.Json];
        Assert.Equal(Enum.GetNames<ColumnType>().Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
    }
}
