using Twist.Packaging.Tests.Infrastructure;

namespace Twist.Packaging.Tests;

/// <summary>
/// A fresh app outside the repository (ConsumerApp/) that references Twist.Client, Twist.Coordinator and Gravity.Sync from
/// the packed packages only, declares a participant and a Gravity projection with attributes, and runs a confirmed and an
/// abandoned transaction through an embedded coordinator.
/// </summary>
public sealed class ConsumerAppTests(PackedPackages packed)
{
    [Fact]
    public async Task An_app_built_from_the_packages_alone_generates_its_participant_and_completes_a_transfer()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = Path.Combine(packed.AppsRoot, "consumer-app");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "ConsumerApp"), app);

        var build = await DotnetCommand.RunCheckedAsync(
            ["build", "-c", "Release", $"-p:TwistPackageVersion={packed.Version}", "-nologo"],
            app,
            packed.ConsumerEnvironment,
            TimeSpan.FromMinutes(4),
            ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"consumer app restore + build: {build.Elapsed.TotalSeconds:0.0} s");

        // Our packages came from this run's local feed into the private packages folder, not from any other cache.
        foreach (var id in new[] { "twist.client", "twist.coordinator", "twist.abstractions", "gravity.sync" })
        {
            Assert.True(Directory.Exists(Path.Combine(packed.PackagesCache, id, packed.Version)), $"{id} {packed.Version} was not restored into {packed.PackagesCache}.");
        }

        // The generators inside the Twist.Client and Gravity.Sync packages wrote the code the app calls.
        Assert.Contains("AddGeneratedProjections", File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(app, "obj"), "GravityProjections.g.cs", SearchOption.AllDirectories))), StringComparison.Ordinal);
        var generated = Directory.GetFiles(Path.Combine(app, "obj"), "TwistParticipants.g.cs", SearchOption.AllDirectories);
        var registration = File.ReadAllText(Assert.Single(generated));
        Assert.Contains("AddTwistParticipants", registration, StringComparison.Ordinal);
        Assert.Contains("\"points\"", registration, StringComparison.Ordinal);

        var run = await DotnetCommand.RunAsync(
            [Path.Combine(app, "bin", "Release", "net10.0", "ConsumerApp.dll")],
            app,
            packed.ConsumerEnvironment,
            TimeSpan.FromMinutes(1),
            ct);
        TestContext.Current.TestOutputHelper?.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"The consumer app exited with {run.ExitCode}:\n{run.Output}");
        Assert.Contains("grant of 100: Confirmed", run.Output, StringComparison.Ordinal);
        Assert.Contains("grant of 50 (abandoned): Cancelled", run.Output, StringComparison.Ordinal);
        Assert.Contains("USER1 has 100 points, 0 pending", run.Output, StringComparison.Ordinal);
        Assert.Contains("""gravity rules: pointsGranted -> points (user:user,points:granted); event pointsGranted key USER1: {"user":"USER1","points":100}""", run.Output, StringComparison.Ordinal);
        Assert.Contains("RESULT: OK", run.Output, StringComparison.Ordinal);
    }

    internal static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
