using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Twist.Client.Generators;

namespace Twist.Testing.Generators;

/// <summary>This project's half of the shared harness: <see cref="ParticipantGenerator"/> over Participant0.cs, Participant1.cs, ...</summary>
internal static partial class GeneratorHarness
{
    /// <summary>C# 12, so the registrations the generator writes are proven to compile without newer language features.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public const string HintName = ParticipantGenerator.HintName;

    public static string SourcePath(int index) => $"Participant{index}.cs";

    private static ParticipantGenerator CreateGenerator() => new();
}
