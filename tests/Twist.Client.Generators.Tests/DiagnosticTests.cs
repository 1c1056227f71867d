using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Twist.Testing.Generators;

namespace Twist.Client.Generators.Tests;

/// <summary>One or more snippets per TWIST rule: id, location ([|...|]) and the full message.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Twist.Participants;

        namespace App;

        """;

    private const string ValidTry = "[Try] public Task<int> TryAsync(string request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);";
    private const string ValidConfirm = "[Confirm] public Task ConfirmAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;";
    private const string ValidCancel = "[Cancel] public Task CancelAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;";
    private const string ValidMethods = ValidTry + "\n" + ValidConfirm + "\n" + ValidCancel;

    [Fact]
    public void A_valid_participant_has_no_diagnostics()
    {
        Verify($$"""
            [TccParticipant("ok")]
            public sealed class Ok
            {
                {{ValidMethods}}
            }
            """);
    }

    [Fact]
    public void TWIST001_private_nested_class()
    {
        Verify(
            $$"""
            public static class Outer
            {
                [TccParticipant("p")]
                private sealed class [|P|]
                {
                    {{ValidMethods}}
                }
            }
            """,
            ("TWIST001", "Participant class 'App.Outer.P' is private: make it (and every class it is nested in) public or internal so the generated AddTwistParticipants() can register it"));
    }

    [Fact]
    public void TWIST001_class_nested_in_a_private_class()
    {
        Verify(
            $$"""
            public static class Outer
            {
                private static class Hidden
                {
                    [TccParticipant("p")]
                    public sealed class [|P|]
                    {
                        {{ValidMethods}}
                    }
                }
            }
            """,
            ("TWIST001", "Participant class 'App.Outer.Hidden.P' is nested in private class 'App.Outer.Hidden': make it (and every class it is nested in) public or internal so the generated AddTwistParticipants() can register it"));
    }

    [Fact]
    public void TWIST001_file_local_class()
    {
        GeneratorResult result = Verify(
            $$"""
            [TccParticipant("p")]
            file sealed class [|P|]
            {
                {{ValidMethods}}
            }
            """,
            ("TWIST001", null));
        Assert.Contains("is file-local: make it", result.Diagnostics[0].GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public abstract class", "abstract")]
    [InlineData("public sealed class", "generic", "<T>")]
    [InlineData("public abstract class", "abstract and generic", "<T>")]
    public void TWIST002_abstract_or_generic_class(string declaration, string what, string typeParameters = "")
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            {{declaration}} [|P|]{{typeParameters}}
            {
                {{ValidMethods}}
            }
            """,
            ("TWIST002", $"Participant class 'App.P{typeParameters}' is {what}: a participant is resolved from dependency injection for each call, so make it a concrete, non-static, non-generic class (not nested in a generic class)"));
    }

    [Fact]
    public void TWIST002_static_class()
    {
        GeneratorResult result = Verify(
            """
            [TccParticipant("p")]
            public static class [|P|]
            {
                [Try] public static Task<int> [|TryAsync|](string request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);
                [Confirm] public static Task [|ConfirmAsync|](TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
                [Cancel] public static Task [|CancelAsync|](TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """,
            ("TWIST002", "Participant class 'App.P' is static: a participant is resolved from dependency injection for each call, so make it a concrete, non-static, non-generic class (not nested in a generic class)"),
            ("TWIST010", null),
            ("TWIST010", null),
            ("TWIST010", null));
        Assert.DoesNotContain("TccParticipantRegistration", result.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void TWIST002_class_nested_in_a_generic_class()
    {
        Verify(
            $$"""
            public sealed class Outer<T>
            {
                [TccParticipant("p")]
                public sealed class [|P|]
                {
                    {{ValidMethods}}
                }
            }
            """,
            ("TWIST002", "Participant class 'App.Outer<T>.P' is nested in a generic class: a participant is resolved from dependency injection for each call, so make it a concrete, non-static, non-generic class (not nested in a generic class)"));
    }

    [Theory]
    [InlineData("\"wallet debit\"")]
    [InlineData("\"\"")]
    [InlineData("\"wället\"")]
    [InlineData("\"a/b\"")]
    [InlineData("\"x12345678901234567890123456789012345678901234567890123456789012345\"")]
    [InlineData("null")]
    public void TWIST003_invalid_name(string literal)
    {
        Verify(
            $$"""
            [TccParticipant([|{{literal}}|], Route = "/r")]
            public sealed class P
            {
                {{ValidMethods}}
            }
            """,
            ("TWIST003", $"Participant name {literal} of 'App.P' is invalid: use 1-64 characters of letters, digits, '-' or '_', for example [TccParticipant(\"wallet-debit\")]"));
    }

    [Fact]
    public void TWIST003_accepts_64_characters_of_letters_digits_dash_and_underscore()
    {
        Verify($$"""
            [TccParticipant(name: "Az09-_{{new string('x', 58)}}")]
            public sealed class P
            {
                {{ValidMethods}}
            }
            """);
    }

    [Fact]
    public void TWIST004_duplicate_name_in_two_files_ignoring_case()
    {
        (string first, IReadOnlyList<TextSpan> firstSpans) = Markup.Parse(Usings + $$"""
            [TccParticipant([|"wallet"|])]
            public sealed class Wallet
            {
                {{ValidMethods}}
            }
            """);
        (string second, IReadOnlyList<TextSpan> secondSpans) = Markup.Parse(Usings + $$"""
            [TccParticipant([|"Wallet"|])]
            public sealed class OtherWallet
            {
                {{ValidMethods}}
            }
            """);

        GeneratorResult result = GeneratorHarness.Run(first, second);

        Assert.Collection(
            result.Diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal),
            d => AssertDiagnostic(d, "TWIST004", "Participant0.cs", firstSpans[0], "Participant name 'wallet' of 'App.Wallet' is also used by 'App.OtherWallet': participant names must be unique in the application (ignoring case) because they appear in routes and guard rows; rename one of them"),
            d => AssertDiagnostic(d, "TWIST004", "Participant1.cs", secondSpans[0], "Participant name 'Wallet' of 'App.OtherWallet' is also used by 'App.Wallet': participant names must be unique in the application (ignoring case) because they appear in routes and guard rows; rename one of them"));
        Assert.DoesNotContain("TccParticipantRegistration", result.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void TWIST005_missing_phase_methods()
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            public sealed class [|P|]
            {
                {{ValidConfirm}}
            }
            """,
            ("TWIST005", "Participant class 'App.P' has no [Try] method: add one with the signature 'Task<TResult> M(TRequest request, TccContext context, CancellationToken cancellationToken)'"),
            ("TWIST005", "Participant class 'App.P' has no [Cancel] method: add one with the signature 'Task M(TccContext context, CancellationToken cancellationToken)'"));
    }

    [Fact]
    public void TWIST006_more_than_one_method_for_a_phase()
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            public sealed class P
            {
                {{ValidMethods}}
                [Cancel] public Task [|CancelAgainAsync|](TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """,
            ("TWIST006", "Participant class 'App.P' marks both 'CancelAsync' and 'CancelAgainAsync' with [Cancel]: a participant has exactly one [Cancel] method; remove the attribute from one of them"));
    }

    [Theory]
    [InlineData("public Task<int> [|TryAsync|](string request, TccContext context) => Task.FromResult(1);")]
    [InlineData("public Task<int> [|TryAsync|](TccContext context, string request, CancellationToken cancellationToken) => Task.FromResult(1);")]
    [InlineData("public Task<int> [|TryAsync|](string request, TccContext context, CancellationToken cancellationToken, int extra) => Task.FromResult(1);")]
    [InlineData("public Task<int> [|TryAsync|](ref string request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);")]
    [InlineData("public Task<int> [|TryAsync|](in string request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);")]
    [InlineData("public Task<T> [|TryAsync|]<T>(T request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(request);")]
    [InlineData("public int [|TryAsync|](string request, TccContext context, CancellationToken cancellationToken) => 1;")]
    [InlineData("public void [|TryAsync|](string request, TccContext context, CancellationToken cancellationToken) { }")]
    [InlineData("public Task<int> [|TryAsync|](System.Span<int> request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);")]
    public void TWIST007_wrong_try_signature(string tryMethod)
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            public sealed class P
            {
                [Try] {{tryMethod}}
                {{ValidConfirm}}
                {{ValidCancel}}
            }
            """,
            ("TWIST007", "[Try] method 'TryAsync' has the wrong signature: declare it as 'Task<TResult> TryAsync(TRequest request, TccContext context, CancellationToken cancellationToken)', or 'Task TryAsync(TRequest request, TccContext context, CancellationToken cancellationToken)' when it returns nothing (a non-generic method with exactly these 3 parameters, no ref/out/in, TRequest and TResult ordinary types)"));
    }

    [Theory]
    [InlineData("Confirm", "public Task<int> [|Done|](TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);")]
    [InlineData("Confirm", "public Task [|Done|](string request, TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;")]
    [InlineData("Cancel", "public Task [|Done|](TccContext context) => Task.CompletedTask;")]
    [InlineData("Cancel", "public Task [|Done|](CancellationToken cancellationToken, TccContext context) => Task.CompletedTask;")]
    [InlineData("Cancel", "public void [|Done|](TccContext context, CancellationToken cancellationToken) { }")]
    public void TWIST008_wrong_confirm_or_cancel_signature(string phase, string method)
    {
        string confirm = phase == "Confirm" ? "[Confirm] " + method : ValidConfirm;
        string cancel = phase == "Cancel" ? "[Cancel] " + method : ValidCancel;
        Verify(
            $$"""
            [TccParticipant("p")]
            public sealed class P
            {
                {{ValidTry}}
                {{confirm}}
                {{cancel}}
            }
            """,
            ("TWIST008", $"[{phase}] method 'Done' has the wrong signature: declare it as 'Task Done(TccContext context, CancellationToken cancellationToken)' (a non-generic method with exactly these 2 parameters)"));
    }

    [Theory]
    [InlineData("private", "private")]
    [InlineData("protected", "protected")]
    [InlineData("private protected", "private protected")]
    [InlineData("", "private")]
    public void TWIST009_method_not_accessible(string modifier, string accessibility)
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            public class P
            {
                {{ValidTry}}
                [Confirm] {{modifier}} Task [|ConfirmAsync|](TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
                {{ValidCancel}}
            }
            """,
            ("TWIST009", $"[Confirm] method 'ConfirmAsync' is {accessibility}: make it public or internal so the generated registration can call it"));
    }

    [Fact]
    public void TWIST010_static_method()
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            public sealed class P
            {
                [Try] public static Task<int> [|TryAsync|](string request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);
                {{ValidConfirm}}
                {{ValidCancel}}
            }
            """,
            ("TWIST010", "[Try] method 'TryAsync' is static: make it an instance method; the participant is resolved from dependency injection for each call"));
    }

    [Fact]
    public void TWIST011_async_void()
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            public sealed class P
            {
                [Try] public async void [|TryAsync|](string request, TccContext context, CancellationToken cancellationToken) => await Task.Yield();
                {{ValidConfirm}}
                [Cancel] public async void [|CancelAsync|](TccContext context, CancellationToken cancellationToken) => await Task.Yield();
            }
            """,
            ("TWIST011", "[Try] method 'TryAsync' is async void, so the guard cannot see when it finishes or whether it failed: return Task ('async Task' or 'async Task<TResult>' to return a result)"),
            ("TWIST011", "[Cancel] method 'CancelAsync' is async void, so the guard cannot see when it finishes or whether it failed: return Task ('async Task')"));
    }

    [Fact]
    public void TWIST012_value_task()
    {
        Verify(
            $$"""
            [TccParticipant("p")]
            public sealed class P
            {
                [Try] public ValueTask<int> [|TryAsync|](string request, TccContext context, CancellationToken cancellationToken) => new(1);
                [Confirm] public ValueTask [|ConfirmAsync|](TccContext context, CancellationToken cancellationToken) => default;
                {{ValidCancel}}
            }
            """,
            ("TWIST012", "[Try] method 'TryAsync' returns ValueTask<int>: participant handlers return Task, not ValueTask; change the return type to Task<int>"),
            ("TWIST012", "[Confirm] method 'ConfirmAsync' returns ValueTask: participant handlers return Task, not ValueTask; change the return type to Task"));
    }

    [Fact]
    public void A_type_that_does_not_bind_is_left_to_the_compiler()
    {
        GeneratorResult result = Verify($$"""
            [TccParticipant("p")]
            public sealed class P
            {
                [Try] public Task<Missing> TryAsync(string request, TccContext context, CancellationToken cancellationToken) => null!;
                {{ValidConfirm}}
                {{ValidCancel}}
            }
            """);

        Assert.Contains(result.CompilationDiagnostics, d => d.Id == "CS0246");
        Assert.DoesNotContain("TccParticipantRegistration", result.GeneratedSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_descriptor_is_an_error_with_a_unique_stable_id()
    {
        var descriptors = typeof(DiagnosticDescriptors)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();

        Assert.Equal(
            [.. Enumerable.Range(1, 12).Select(i => $"TWIST{i:000}")],
            descriptors.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(descriptors, d => Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity));
        Assert.All(descriptors, d => Assert.Equal("Twist.Participants", d.Category));
    }

    private static GeneratorResult Verify(string markup, params (string Id, string? Message)[] expected)
    {
        (string source, IReadOnlyList<TextSpan> spans) = Markup.Parse(Usings + markup);
        // Diagnostics that share a location share its marker: the last marker stands for the rest.
        Assert.InRange(spans.Count, Math.Min(expected.Length, 1), expected.Length);

        GeneratorResult result = GeneratorHarness.Run(source);

        Diagnostic[] actual = [.. result.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start)];
        Assert.True(
            expected.Length == actual.Length,
            $"Expected {expected.Length} diagnostics, got: {string.Join(Environment.NewLine, actual.Select(d => d.ToString()))}");
        for (int i = 0; i < expected.Length; i++)
        {
            AssertDiagnostic(actual[i], expected[i].Id, "Participant0.cs", spans[Math.Min(i, spans.Count - 1)], expected[i].Message);
        }

        return result;
    }

    private static void AssertDiagnostic(Diagnostic diagnostic, string id, string path, TextSpan span, string? message)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(path, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        if (message is not null)
        {
            Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
