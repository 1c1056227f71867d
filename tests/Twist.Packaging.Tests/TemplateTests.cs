using System.Globalization;
using System.Text.RegularExpressions;
using Twist.Packaging.Tests.Infrastructure;

namespace Twist.Packaging.Tests;

/// <summary>
/// Every template, installed from this run's template package and instantiated with its options, builds against this
/// run's packed packages, and the generated solution's own tests pass.
/// </summary>
public sealed partial class TemplateTests(PackedPackages packed)
{
    public static TheoryData<TemplateUse> Uses() => [.. GeneratedSolutions.Uses];

    [Theory]
    [MemberData(nameof(Uses))]
    public async Task The_generated_solution_is_named_after_the_app_and_carries_the_options(TemplateUse use)
    {
        await GeneratedSolutions.EnsureGeneratedAsync(packed, TestContext.Current.CancellationToken);
        var folder = GeneratedSolutions.FolderOf(packed, use);
        // What the template wrote (the build test may be adding bin/ and obj/ at the same time).
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(folder, f).Replace('\\', '/'), Full: f))
            .Where(f => !f.Path.Split('/').Any(part => part is "bin" or "obj"))
            .ToDictionary(f => f.Path, f => File.ReadAllText(f.Full));

        Assert.Contains($"{use.Name}.slnx", files.Keys);
        Assert.Contains($"src/{use.Name}/{use.Name}.csproj", files.Keys);
        Assert.Contains($"tests/{use.Name}.Tests/{use.Name}.Tests.csproj", files.Keys);
        Assert.DoesNotContain(files, f => f.Value.Contains("Company.", StringComparison.Ordinal) || f.Key.Contains("Company.", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Value.Contains("@@", StringComparison.Ordinal) || f.Value.Contains("TWIST_PACKAGE_VERSION", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Value.Contains("#if", StringComparison.Ordinal) || f.Value.Contains(".invalid", StringComparison.Ordinal));

        // The Twist packages are referenced at this run's version (the template package's own, baked in at pack time).
        Assert.Contains($"<TwistVersion>{packed.Version}</TwistVersion>", files["Directory.Packages.props"], StringComparison.Ordinal);

        var settings = files.GetValueOrDefault($"src/{use.Name}/appsettings.json") ?? string.Empty;
        var csproj = files[$"src/{use.Name}/{use.Name}.csproj"];
        switch (use.Template, string.Join(' ', use.Options))
        {
            case ("twist-participant", var options) when options.Contains("grpc", StringComparison.Ordinal):
                Assert.Contains("\"Http\": { \"Url\": \"http://127.0.0.1:6312\", \"Protocols\": \"Http1\" }", settings, StringComparison.Ordinal);
                Assert.Contains("\"Grpc\": { \"Url\": \"http://127.0.0.1:6313\", \"Protocols\": \"Http2\" }", settings, StringComparison.Ordinal);
                Assert.Contains("\"PublicBaseAddress\": \"grpc://127.0.0.1:6313\"", settings, StringComparison.Ordinal);
                Assert.DoesNotContain("\"Urls\"", settings, StringComparison.Ordinal);
                break;
            case ("twist-participant", _):
                Assert.Contains("\"Urls\": \"http://127.0.0.1:6310\"", settings, StringComparison.Ordinal);
                Assert.DoesNotContain("PublicBaseAddress", settings, StringComparison.Ordinal);
                Assert.DoesNotContain("Kestrel", settings, StringComparison.Ordinal);
                break;
            case ("twist-caller", ""):
                Assert.Contains("\"Coordinator\": \"Grpc\"", settings, StringComparison.Ordinal);
                Assert.Contains("\"Address\": \"http://127.0.0.1:5381\"", settings, StringComparison.Ordinal);
                Assert.DoesNotContain("Twist.Coordinator\"", csproj, StringComparison.Ordinal);
                break;
            case ("twist-caller", _):
                Assert.Contains("\"Coordinator\": \"Embedded\"", settings, StringComparison.Ordinal);
                Assert.Contains("\"Urls\": \"http://127.0.0.1:6320\"", settings, StringComparison.Ordinal);
                Assert.Contains("http://127.0.0.1:6310/twist/participants/wallet-debit", settings, StringComparison.Ordinal);
                Assert.Contains("<PackageReference Include=\"Twist.Coordinator\" />", csproj, StringComparison.Ordinal);
                break;
            case ("twist-coordinator", var options) when options.Contains("postgresql", StringComparison.Ordinal):
                Assert.Contains("<PackageReference Include=\"Twist.Coordinator.PostgreSql\" />", csproj, StringComparison.Ordinal);
                Assert.DoesNotContain("SqlitePath", settings, StringComparison.Ordinal);
                break;
            case ("twist-coordinator", _):
                Assert.Contains("http://127.0.0.1:6380", settings, StringComparison.Ordinal);
                Assert.Contains("http://127.0.0.1:6381", settings, StringComparison.Ordinal);
                Assert.DoesNotContain("PostgreSql", csproj, StringComparison.Ordinal);
                break;
            case ("gravity-sync", _):
                Assert.Contains($"src/{use.Name}/rules/rules.json", files.Keys);
                Assert.Contains("[Projection(\"OrderShipped\"", files[$"src/{use.Name}/Events.cs"], StringComparison.Ordinal);
                Assert.Contains(".AddGeneratedProjections()", files[$"src/{use.Name}/SyncApp.cs"], StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"No expectations for {use}.");
                break;
        }
    }

    [Fact]
    public async Task Every_generated_solution_builds_from_the_packages_and_its_own_tests_pass()
    {
        var ct = TestContext.Current.CancellationToken;
        var solution = await GeneratedSolutions.EnsureGeneratedAsync(packed, ct);
        var environment = new Dictionary<string, string?>(packed.ConsumerEnvironment);
        var postgres = Environment.GetEnvironmentVariable("TWIST_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
        environment["TWIST_TEST_POSTGRES"] = postgres;

        var test = await DotnetCommand.RunAsync(["test", "--solution", solution, "-c", "Release"], Path.GetDirectoryName(solution)!, environment, TimeSpan.FromMinutes(8), ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"dotnet test of every generated solution (restore, build, run): {test.Elapsed.TotalSeconds:0.0} s");
        TestContext.Current.TestOutputHelper?.WriteLine(test.Output);

        Assert.True(test.ExitCode == 0, $"'dotnet test' of the generated solutions exited with {test.ExitCode}:\n{test.Output}");
        foreach (var use in GeneratedSolutions.Uses)
        {
            Assert.Matches($@"{Regex.Escape(use.Name)}\.Tests\.dll \([^)]*\) passed", test.Output);
        }

        var succeeded = Summary(SucceededPattern(), test.Output);
        var skipped = Summary(SkippedPattern(), test.Output);
        var postgresTests = GeneratedSolutions.Uses.Where(u => u.Options.Contains("postgresql")).Sum(u => u.LeastPassing);
        var expected = GeneratedSolutions.Uses.Sum(u => u.LeastPassing) - (postgres is null ? postgresTests : 0);
        Assert.Equal(0, Summary(FailedPattern(), test.Output));
        Assert.True(succeeded >= expected, $"{succeeded} of the generated tests passed; expected at least {expected}.\n{test.Output}");
        Assert.True(skipped == (postgres is null ? postgresTests : 0), $"{skipped} generated tests were skipped.\n{test.Output}");
    }

    private static int Summary(Regex pattern, string output) =>
        pattern.Matches(output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).LastOrDefault();

    [GeneratedRegex(@"^\s*succeeded:\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex SucceededPattern();

    [GeneratedRegex(@"^\s*failed:\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex FailedPattern();

    [GeneratedRegex(@"^\s*skipped:\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex SkippedPattern();
}
