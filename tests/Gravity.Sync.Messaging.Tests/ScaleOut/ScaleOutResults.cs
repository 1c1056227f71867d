using System.Globalization;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>
/// Where the scale-out tests report what they measured: the test output, and the file GRAVITY_SCALEOUT_RESULTS names
/// (bench/run-gravity-scaleout-bench.sh sets it and prints it). GRAVITY_SCALEOUT_BENCH=1 turns the throughput runs on;
/// GRAVITY_SCALEOUT_KEYS and GRAVITY_SCALEOUT_VERSIONS size them.
/// </summary>
public static class ScaleOutResults
{
    /// <summary>Gets a value indicating whether the throughput measurement runs (GRAVITY_SCALEOUT_BENCH=1).</summary>
    public static bool Benchmark => Environment.GetEnvironmentVariable("GRAVITY_SCALEOUT_BENCH") == "1";

    public static int Keys => Setting("GRAVITY_SCALEOUT_KEYS", 200);

    public static int Versions => Setting("GRAVITY_SCALEOUT_VERSIONS", 10);

    public static void Write(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("GRAVITY_SCALEOUT_RESULTS") is { Length: > 0 } path)
        {
            lock (typeof(ScaleOutResults))
            {
                File.AppendAllLines(path, [line]);
            }
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
