using System.Globalization;

namespace Twist.Coordinator.ClusterTests.Infrastructure;

/// <summary>
/// The knobs of the fault scenarios. The defaults are the short form CI runs; bench/run-cluster-bench.sh sets the
/// long form through environment variables.
/// </summary>
internal static class ClusterScenario
{
    /// <summary>Gets the instance lease (TWIST_CLUSTER_LEASE, seconds): bounds the takeover time after a kill -9.</summary>
    public static TimeSpan Lease => Seconds("TWIST_CLUSTER_LEASE", 2);

    /// <summary>Gets how long the load runs before it is measured (TWIST_CLUSTER_WARMUP, seconds): JIT, pools, first connections.</summary>
    public static TimeSpan Warmup => Seconds("TWIST_CLUSTER_WARMUP", 3);

    /// <summary>Gets how long the measured load runs before and after the kill (TWIST_CLUSTER_LOAD, seconds each).</summary>
    public static TimeSpan LoadPhase => Seconds("TWIST_CLUSTER_LOAD", 4);

    /// <summary>Gets how long the participant is down in the recovery scenario (TWIST_CLUSTER_OUTAGE, seconds).</summary>
    public static TimeSpan Outage => Seconds("TWIST_CLUSTER_OUTAGE", 5);

    /// <summary>Gets how many decided transactions wait on the participant in the recovery scenario (TWIST_CLUSTER_BACKLOG).</summary>
    public static int Backlog => int.TryParse(Environment.GetEnvironmentVariable("TWIST_CLUSTER_BACKLOG"), CultureInfo.InvariantCulture, out var n) ? n : 1000;

    /// <summary>Appends a result line to the file TWIST_CLUSTER_RESULTS names (the bench script collects them), and to the test output.</summary>
    public static void Report(string line)
    {
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("TWIST_CLUSTER_RESULTS") is { Length: > 0 } path)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    public static string Env(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string variable, double fallback) =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var s) ? s : fallback);
}
