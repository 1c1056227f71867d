using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Twist.Participants.Hosting;

/// <summary>
/// Binds <see cref="TwistParticipantOptions"/> from the <c>Twist:Participant</c> section when the app has an
/// <see cref="IConfiguration"/>; unknown keys are errors so that a typo does not silently fall back to a default.
/// </summary>
internal sealed class ConfigureParticipantFromConfiguration(IConfiguration? configuration) : IConfigureOptions<TwistParticipantOptions>
{
    public void Configure(TwistParticipantOptions options)
    {
        var section = configuration?.GetSection(TwistParticipantOptions.SectionName);
        if (section is null || !section.Exists())
        {
            return;
        }

        section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
    }
}
