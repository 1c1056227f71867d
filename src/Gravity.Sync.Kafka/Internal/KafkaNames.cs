namespace Gravity.Sync.Kafka.Internal;

/// <summary>What Kafka accepts as a topic name and a consumer group id.</summary>
internal static class KafkaNames
{
    /// <summary>1-249 characters of <c>[a-zA-Z0-9._-]</c>, not <c>.</c> or <c>..</c> (Kafka's own rule).</summary>
    public static bool IsTopic(string? topic) =>
        !string.IsNullOrEmpty(topic) && topic.Length <= 249 && topic is not ("." or "..")
        && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
