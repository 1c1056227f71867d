using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>
/// The scale-out workload: versions 1..n of every key, one version of all keys after another, paced so that
/// instances join, leave and die while events flow. Each event carries its key's sequence number ("version").
/// </summary>
public static class KeyedVersions
{
    /// <summary>Publishes one version of every key per <paramref name="pace"/> until <paramref name="until"/> completes; returns the versions published.</summary>
    public static async Task<int> PublishUntilAsync(Func<IEnumerable<(string Name, string Json)>, CancellationToken, Task> publish, int keys, TimeSpan pace, Task until, CancellationToken cancellationToken)
    {
        var version = 0;
        do
        {
            await publish(Version(keys, ++version), cancellationToken);
            await Task.WhenAny(until, Task.Delay(pace, cancellationToken));
        }
        while (!until.IsCompleted);

        await until; // a failed scenario fails the test
        return version;
    }

    public static IEnumerable<(string Name, string Json)> Version(int keys, int version) =>
        Enumerable.Range(0, keys).Select(k => version == 1 ? UserModel.Created(k, "n", version) : UserModel.Renamed(k, "n", version));

    /// <summary>What the audit must show: every version of every key applied once, in order.</summary>
    public static List<string> EveryVersionOnceInOrder(int keys, int versions) =>
        [.. Enumerable.Range(0, keys).Select(k => $"{k}|{string.Join(',', Enumerable.Range(1, versions))}").Order(StringComparer.Ordinal)];

    /// <summary>What the view must hold at the end: every key at its last version.</summary>
    public static List<string> Final(int keys, int versions) =>
        [.. Enumerable.Range(0, keys).Select(k => $"{k}|{versions}").Order(StringComparer.Ordinal)];
}
