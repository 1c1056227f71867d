using System.Runtime.InteropServices;

namespace Twist.Testing.Kafka;

/// <summary>
/// librdkafka's mock cluster: three brokers speaking the real Kafka protocol on loopback TCP, hosted by the librdkafka
/// that ships inside Confluent.Kafka (shared/research/feasibility.md §3). No broker install and no environment
/// variable: one cluster per test process, one topic per test. It can take its brokers down and up again, which closes
/// every connection and refuses new ones, as a broker outage does. Linked into the test projects that need Kafka.
/// </summary>
public static partial class KafkaMockCluster
{
    private const string Library = "librdkafka";
    private const int Brokers = 3;

    private static readonly Lazy<(IntPtr Client, IntPtr Cluster, string Bootstrap)> Cluster = new(Start);

    public static string BootstrapServers => Cluster.Value.Bootstrap;

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions and returns its name.</summary>
    public static string CreateTopic(int partitions, string prefix = "twist-test")
    {
        var topic = $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";
        var error = rd_kafka_mock_topic_create(Cluster.Value.Cluster, topic, partitions, 1);
        if (error != 0)
        {
            throw new InvalidOperationException($"rd_kafka_mock_topic_create failed with error {error}.");
        }

        return topic;
    }

    /// <summary>Takes every broker down: connections are closed and new ones refused until <see cref="SetBrokersUp"/>.</summary>
    public static void SetBrokersDown() => ForEachBroker(rd_kafka_mock_broker_set_down);

    /// <summary>Brings every broker back.</summary>
    public static void SetBrokersUp() => ForEachBroker(rd_kafka_mock_broker_set_up);

    private static void ForEachBroker(Func<IntPtr, int, int> action)
    {
        for (var broker = 1; broker <= Brokers; broker++)
        {
            var error = action(Cluster.Value.Cluster, broker);
            if (error != 0)
            {
                throw new InvalidOperationException($"Changing mock broker {broker} failed with error {error}.");
            }
        }
    }

    private static (IntPtr, IntPtr, string) Start()
    {
        // Confluent.Kafka picks the librdkafka build that loads on this system (on Debian 12 the centos8 one, since the
        // default needs libsasl2.so.3); bind our imports to exactly the library it loaded.
        Confluent.Kafka.Library.Load();
        var path = File.ReadLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(parts => parts.Length >= 6)
            .Select(parts => parts[^1]).FirstOrDefault(file => Path.GetFileName(file).Contains("librdkafka", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("librdkafka is not loaded after Confluent.Kafka.Library.Load().");
        NativeLibrary.SetDllImportResolver(typeof(KafkaMockCluster).Assembly, (name, _, _) => name == Library ? NativeLibrary.Load(path) : IntPtr.Zero);

        var error = new byte[512];
        var client = rd_kafka_new(0, rd_kafka_conf_new(), error, (nuint)error.Length);
        if (client == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_new failed: " + System.Text.Encoding.UTF8.GetString(error).TrimEnd('\0'));
        }

        var cluster = rd_kafka_mock_cluster_new(client, Brokers);
        if (cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }

        // Like a broker's group.initial.rebalance.delay.ms, the mock waits 3 s before the first assignment of a new
        // group; consumer-group tests (Gravity's scale-out) join and leave within seconds, so they get it at once.
        rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, 0);
        return (client, cluster, Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster))!);
    }

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_new(int type, IntPtr conf, [Out] byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_new(IntPtr client, int brokers);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
}
