using Confluent.Kafka;

// Compiled into Gravity.Sync.Kafka and Twist.Coordinator.Kafka from this one file, so both packages turn the same options
// into the same client security settings; neither package may depend on the other.
namespace Shared.Kafka;

/// <summary>Applies the options' security settings to a Kafka client's configuration.</summary>
internal static class KafkaSecurity
{
    /// <summary>
    /// With a user name: SASL (PLAIN unless <paramref name="mechanism"/> says otherwise) over TLS unless
    /// <paramref name="protocol"/> says otherwise, so credentials never cross the network in clear by default. Without
    /// one: <paramref name="protocol"/> when set, else the client's default (plaintext).
    /// </summary>
    public static void Apply(ClientConfig config, SecurityProtocol? protocol, SaslMechanism? mechanism, string? username, string? password)
    {
        if (username is not null)
        {
            config.SecurityProtocol = protocol ?? SecurityProtocol.SaslSsl;
            config.SaslMechanism = mechanism ?? SaslMechanism.Plain;
            config.SaslUsername = username;
            config.SaslPassword = password;
        }
        else if (protocol is { } chosen)
        {
            config.SecurityProtocol = chosen;
        }
    }
}
