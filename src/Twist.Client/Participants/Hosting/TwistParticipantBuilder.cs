using Microsoft.Extensions.DependencyInjection;

namespace Twist.Participants.Hosting;

/// <summary>The one implementation of <see cref="ITwistParticipantBuilder"/>.</summary>
internal sealed class TwistParticipantBuilder(IServiceCollection services) : ITwistParticipantBuilder
{
    public IServiceCollection Services { get; } = services;
}
