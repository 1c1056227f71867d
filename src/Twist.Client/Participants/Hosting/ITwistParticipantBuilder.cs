using Microsoft.Extensions.DependencyInjection;

namespace Twist.Participants;

/// <summary>
/// Configures the participant runtime further, e.g. <c>.UseSqliteGuard("Data Source=wallet.db")</c>; returned by
/// <c>AddTwistParticipant</c> and <c>AddTwistParticipantOptions</c>.
/// </summary>
public interface ITwistParticipantBuilder
{
    /// <summary>Gets the service collection the participants were added to.</summary>
    IServiceCollection Services { get; }
}
