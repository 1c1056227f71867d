using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Twist.Testing.Generators;

namespace Gravity.Sync.Generators.Tests;

/// <summary>One or more failing snippets per GRAVITY rule: id, location ([|...|]) and the full message.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json;
        using Gravity.Sync.Rules;

        namespace App;

        """;

    [Fact]
    public void A_valid_event_type_has_no_diagnostics_and_its_generated_code_compiles_cleanly()
    {
        GeneratorResult result = Verify("""
            [Projection("userCreated", Table = "users", Databases = ["db1"], Exporters = ["synced"])]
            [Projection("userCreated", Table = "emails", Method = ProjectionMethod.Insert)]
            public sealed record UserCreated([property: Key] long Id, [property: Column(Tables = ["users"])] string Name, string? Email, [property: NotProjected] List<string> Tags);
            """);

        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact]
    public void GRAVITY001_private_nested_type()
    {
        Verify(
            """
            public static class Outer
            {
                [Projection("e", Table = "t")]
                private sealed record [|E|]([property: Key] long Id);
            }
            """,
            ("GRAVITY001", "Event type 'App.Outer.E' is private: make it (and every type it is nested in) public or internal so the generated rules and ToGravityEvent() can use it"));
    }

    [Fact]
    public void GRAVITY001_file_local_type()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            file sealed record [|E|]([property: Key] long Id);
            """,
            ("GRAVITY001", null));
    }

    [Fact]
    public void GRAVITY002_generic_type()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record [|E|]<T>([property: Key] long Id, T Value);
            """,
            ("GRAVITY002", "Event type 'App.E<T>' is generic: a [Projection] event type must be a closed, non-generic type (not nested in a generic type)"));
    }

    [Fact]
    public void GRAVITY003_blank_event_name()
    {
        Verify(
            """
            [Projection([|" "|], Table = "t")]
            public sealed record E([property: Key] long Id);
            """,
            ("GRAVITY003", "Event name \" \" of 'App.E' is invalid: give the name rules match on, a non-empty string without surrounding spaces, for example [Projection(\"userCreated\", Table = \"users\")]"));
    }

    [Fact]
    public void GRAVITY004_one_type_two_event_names()
    {
        Verify(
            """
            [Projection("userCreated", Table = "users")]
            [Projection([|"userUpdated"|], Table = "audit")]
            public sealed record E([property: Key] long Id);
            """,
            ("GRAVITY004", "Event type 'App.E' declares event 'userUpdated' here but 'userCreated' in another [Projection]: a type is one event, so every [Projection] on it names the same event; use one type per event"));
    }

    [Fact]
    public void GRAVITY005_table_name_that_is_not_an_identifier()
    {
        Verify(
            """
            [Projection("e", [|Table = "user-profile"|])]
            public sealed record E([property: Key] long Id);
            """,
            ("GRAVITY005", "Table name \"user-profile\" of 'App.E' is invalid: use letters, digits and _, starting with a letter or _, at most 63 characters"));
    }

    [Fact]
    public void GRAVITY006_declared_column_name_that_is_not_an_identifier()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] long Id, [property: Column([|"first name"|])] string Name);
            """,
            ("GRAVITY006", "Column name \"first name\" of property 'Name' is invalid: use letters, digits and _, starting with a letter or _, at most 63 characters"));
    }

    [Fact]
    public void GRAVITY006_payload_name_that_is_not_an_identifier_suggests_a_column_name()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed class E
            {
                [Key] public long Id { get; init; }

                [System.Text.Json.Serialization.JsonPropertyName("first-name")]
                public string? [|FirstName|] { get; init; }
            }
            """,
            ("GRAVITY006", "Column name \"first-name\" of property 'FirstName' is invalid: use letters, digits and _, starting with a letter or _, at most 63 characters, for example with [property: Column(\"...\")]"));
    }

    [Fact]
    public void GRAVITY006_the_position_column_is_reserved()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] long Id, [property: Column([|"_gravity_position"|])] long Position);
            """,
            ("GRAVITY006", "Column name \"_gravity_position\" of property 'Position' is invalid: the column is reserved for the source position Gravity keeps in every row; choose another name"));
    }

    [Fact]
    public void GRAVITY007_two_properties_write_one_column()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] long Id, [property: Column("name")] string First, [property: Column("name")] string [|Last|]);
            """,
            ("GRAVITY007", "Properties 'First' and 'Last' of 'App.E' both write column 'name' of table 't': give one of them another [Column(\"...\")] name, or limit it to other tables with [Column(Tables = ...)]"));
    }

    [Fact]
    public void GRAVITY008_no_key()
    {
        Verify(
            """
            [Projection("e", Table = "t", Method = ProjectionMethod.Delete)]
            public sealed record [|E|](long Id);
            """,
            ("GRAVITY008", "Event type 'App.E' has no [Key] property, but its [Projection] into table 't' (ProjectionMethod.Delete) needs one to find the row: mark the property (or properties, for a composite key) that identifies the row with [property: Key]"));
    }

    [Fact]
    public void A_truncate_needs_no_key()
    {
        Verify("""
            [Projection("usersReset", Table = "users", Method = ProjectionMethod.Truncate)]
            public sealed record UsersReset(string Reason);
            """);
    }

    [Fact]
    public void GRAVITY009_property_type_no_column_holds()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] long Id, List<string> [|Tags|], TimeSpan [|Duration|]);
            """,
            ("GRAVITY009", "Property 'Tags' has type 'List<string>', which no view column holds: use string, an integer, double, float, decimal, bool, DateTime, DateTimeOffset, Guid, char, an enum, JsonElement or JsonNode (or Nullable<T> of these), or leave it out with [NotProjected]"),
            ("GRAVITY009", "Property 'Duration' has type 'TimeSpan', which no view column holds: use string, an integer, double, float, decimal, bool, DateTime, DateTimeOffset, Guid, char, an enum, JsonElement or JsonNode (or Nullable<T> of these), or leave it out with [NotProjected]"));
    }

    [Fact]
    public void GRAVITY010_column_type_that_does_not_fit_the_property()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] long Id, [property: Column([|Type = ColumnType.Boolean|])] DateTimeOffset At);
            """,
            ("GRAVITY010", "Property 'At' of type 'DateTimeOffset' cannot be written as ColumnType.Boolean: its payload is an ISO 8601 string, which fits ColumnType Timestamp, String"));
    }

    [Fact]
    public void GRAVITY011_key_of_a_json_type()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] JsonElement [|Id|]);
            """,
            ("GRAVITY011", "Key property 'Id' has type 'JsonElement', which cannot identify a row: use text, a number, a boolean, a timestamp or a Guid"));
    }

    [Fact]
    public void GRAVITY011_key_limited_to_some_tables()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key, Column(Tables = ["t"])] long [|Id|]);
            """,
            ("GRAVITY011", "Key property 'Id' is limited to some tables with [Column(Tables = ...)]: the key goes to every table the type is projected into; remove Tables"));
    }

    [Fact]
    public void GRAVITY011_key_left_out()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record [|E|]([property: Key, NotProjected] long [|Id|]);
            """,
            ("GRAVITY008", null),
            ("GRAVITY011", "Key property 'Id' is marked [NotProjected]: a key is what finds the row, so it must be projected; remove one of the two attributes"));
    }

    [Fact]
    public void GRAVITY012_column_for_a_table_the_type_does_not_write()
    {
        Verify(
            """
            [Projection("e", Table = "users")]
            [Projection("e", Table = "emails")]
            public sealed record E([property: Key] long Id, [property: Column(Tables = ["user"])] string [|Name|]);
            """,
            ("GRAVITY012", "Property 'Name' lists table 'user' in [Column(Tables = ...)], but no [Projection] of 'App.E' writes that table (it writes: emails, users)"));
    }

    [Fact]
    public void GRAVITY013_same_event_into_the_same_table_twice_in_one_type()
    {
        Verify(
            """
            [Projection("e", Table = "users")]
            [[|Projection("e", Table = "users", Method = ProjectionMethod.Delete)|]]
            public sealed record E([property: Key] long Id);
            """,
            ("GRAVITY013", "Event 'e' is projected into table 'users' by both 'App.E' and 'App.E': each event feeds a table once, so remove one of the two [Projection]s (or give them different Databases)"));
    }

    [Fact]
    public void GRAVITY013_same_event_into_the_same_table_and_database_from_two_types()
    {
        Verify(
            """
            [Projection("userCreated", Table = "users", Databases = ["db1"])]
            public sealed record A([property: Key] long Id);

            [[|Projection("userCreated", Table = "users", Databases = ["db2", "db1"])|]]
            public sealed record B([property: Key] long Id);
            """,
            ("GRAVITY013", "Event 'userCreated' is projected into table 'users' by both 'App.A' and 'App.B' in database 'db1': each event feeds a table once, so remove one of the two [Projection]s (or give them different Databases)"));
    }

    [Fact]
    public void The_same_table_in_different_databases_is_not_a_duplicate()
    {
        Verify("""
            [Projection("userCreated", Table = "users", Databases = ["db1"])]
            [Projection("userCreated", Table = "users", Databases = ["db2"], Exporters = ["synced"])]
            public sealed record A([property: Key] long Id);
            """);
    }

    [Fact]
    public void GRAVITY014_undefined_method()
    {
        Verify(
            """
            [Projection("e", Table = "t", [|Method = (ProjectionMethod)9|])]
            public sealed record E([property: Key] long Id);
            """,
            ("GRAVITY014", "Method = 9 is not a defined ProjectionMethod value: use one of ProjectionMethod.Insert, ProjectionMethod.Upsert, ProjectionMethod.Delete, ProjectionMethod.Truncate"));
    }

    [Fact]
    public void GRAVITY014_undefined_column_type()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] long Id, [property: Column([|Type = (ColumnType)42|])] string Name);
            """,
            ("GRAVITY014", "Type = 42 is not a defined ColumnType value: use one of ColumnType.String, ColumnType.Integer, ColumnType.Number, ColumnType.Decimal, ColumnType.Boolean, ColumnType.Timestamp, ColumnType.Json"));
    }

    [Fact]
    public void GRAVITY015_column_for_a_table_the_event_deletes_from()
    {
        Verify(
            """
            [Projection("userRemoved", Table = "users", Method = ProjectionMethod.Delete)]
            [Projection("userRemoved", Table = "removals", Method = ProjectionMethod.Insert)]
            public sealed record E([property: Key] long Id, [property: Column(Tables = ["users"])] string [|Reason|]);
            """,
            ("GRAVITY015", "Property 'Reason' lists table 'users' in [Column(Tables = ...)], but 'App.E' projects into that table with ProjectionMethod.Delete, which writes no columns: remove 'users' from Tables"));
    }

    [Fact]
    public void GRAVITY016_database_name_that_is_not_an_identifier()
    {
        Verify(
            """
            [Projection("e", Table = "t", [|Databases = ["db-1"]|])]
            public sealed record E([property: Key] long Id);
            """,
            ("GRAVITY016", "Database name \"db-1\" of 'App.E' is invalid: use letters, digits and _, starting with a letter or _, at most 63 characters, as in databases.json"));
    }

    [Fact]
    public void GRAVITY016_empty_exporter_name()
    {
        Verify(
            """
            [Projection("e", Table = "t", Databases = ["db1"], [|Exporters = [""]|])]
            public sealed record E([property: Key] long Id);
            """,
            ("GRAVITY016", "Exporter name \"\" of 'App.E' is invalid: use a non-empty name without surrounding spaces, as in exporter.json"));
    }

    [Fact]
    public void GRAVITY017_key_on_a_static_property()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed class E
            {
                [Key] public long Id { get; init; }

                [Key] public static long [|Shared|] { get; set; }
            }
            """,
            ("GRAVITY017", "Property 'Shared' has [Key] but cannot be projected: it is static; only instance properties with a public or internal getter are event fields"));
    }

    [Fact]
    public void GRAVITY017_column_on_a_private_property()
    {
        Verify(
            """
            [Projection("e", Table = "t")]
            public sealed class E
            {
                [Key] public long Id { get; init; }

                [Column("secret")] private string? [|Secret|] { get; set; }
            }
            """,
            ("GRAVITY017", "Property 'Secret' has [Column] but cannot be projected: it is not readable outside the type (its getter is private or protected); only instance properties with a public or internal getter are event fields"));
    }

    [Fact]
    public void A_type_that_does_not_bind_leaves_the_error_to_the_compiler()
    {
        GeneratorResult result = GeneratorHarness.Run(Usings + """
            [Projection("e", Table = "t")]
            public sealed record E([property: Key] long Id, Missing Value);

            [Projection("f")]
            public sealed record F([property: Key] long Id);
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Contains(result.CompilationDiagnostics, d => d.Id == "CS0246"); // Missing
        Assert.Contains(result.CompilationDiagnostics, d => d.Id == "CS9035"); // required Table
        Assert.DoesNotContain("App.E", result.GeneratedSource, StringComparison.Ordinal);
    }

    private static GeneratorResult Verify(string markup, params (string Id, string? Message)[] expected)
    {
        (string source, IReadOnlyList<TextSpan> spans) = Markup.Parse(Usings + markup);
        Assert.InRange(spans.Count, Math.Min(expected.Length, 1), expected.Length);

        GeneratorResult result = GeneratorHarness.Run(source);

        Diagnostic[] actual = [.. result.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
        Assert.True(
            expected.Length == actual.Length,
            $"Expected {expected.Length} diagnostics, got: {string.Join(Environment.NewLine, actual.Select(d => d.ToString()))}");
        for (int i = 0; i < expected.Length; i++)
        {
            Diagnostic diagnostic = actual[i];
            Assert.Equal(expected[i].Id, diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal("Events0.cs", Path.GetFileName(diagnostic.Location.GetLineSpan().Path));
            Assert.Equal(spans[Math.Min(i, spans.Count - 1)], diagnostic.Location.SourceSpan);
            if (expected[i].Message is { } message)
            {
                Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result;
    }
}
