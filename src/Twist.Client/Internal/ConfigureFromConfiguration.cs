using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Twist.Client.Internal;

/// <summary>
/// Binds <see cref="TwistClientOptions"/> from the <c>Twist:Client</c> section when the app has an
/// <see cref="IConfiguration"/>; unknown keys are errors so that a typo does not silently fall back to a default.
/// </summary>
internal sealed class ConfigureFromConfiguration(IConfiguration? configuration) : IConfigureOptions<TwistClientOptions>
{
    public void Configure(TwistClientOptions options)
    {
        var section = configuration?.GetSection(TwistClientOptions.SectionName);
        if (section is null || !section.Exists())
        {
            return;
        }

        section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
    }
}
