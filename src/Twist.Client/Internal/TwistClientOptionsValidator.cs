using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Twist.Client.Internal;

/// <summary>
/// Validates <see cref="TwistClientOptions"/> at start-up and reports every problem at once, naming the configuration
/// key and the value found. For an embedded coordinator it also checks that <c>AddTwistCoordinator</c> registered one.
/// </summary>
internal sealed class TwistClientOptionsValidator(IServiceProviderIsService? services = null) : IValidateOptions<TwistClientOptions>
{
    private const string Section = TwistClientOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TwistClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (!Enum.IsDefined(options.Coordinator))
        {
            errors.Add($"{Section}:Coordinator is {(int)options.Coordinator}; use Embedded, Grpc or Rest.");
        }

        if (options.DefaultTimeout < TimeSpan.FromMilliseconds(100) || options.DefaultTimeout > TimeSpan.FromDays(7))
        {
            errors.Add($"{Section}:DefaultTimeout is {options.DefaultTimeout}; it must be between 00:00:00.1 and 7.00:00:00.");
        }

        if (options.RequestTimeout < TimeSpan.FromSeconds(1) || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{Section}:RequestTimeout is {options.RequestTimeout}; it must be between 00:00:01 and 00:10:00.");
        }

        if (options.Coordinator is TwistCoordinatorKind.Grpc or TwistCoordinatorKind.Rest)
        {
            if (options.Address is null)
            {
                errors.Add($"{Section}:Address is not set; a {options.Coordinator} coordinator needs the coordinator's base address, for example http://127.0.0.1:5080.");
            }
            else if (!options.Address.IsAbsoluteUri || (options.Address.Scheme != Uri.UriSchemeHttp && options.Address.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Section}:Address is '{options.Address}'; it must be an absolute http or https URI.");
            }

            if (options.ApiKey is { } key && (key.Length == 0 || key.Any(char.IsControl)))
            {
                errors.Add($"{Section}:ApiKey is empty or contains control characters; remove it or set the key the coordinator host was given.");
            }
        }
        else if (options.Coordinator == TwistCoordinatorKind.Embedded && services is not null && !services.IsService(typeof(ITwistCoordinator)))
        {
            errors.Add(
                $"{Section}:Coordinator is Embedded but no ITwistCoordinator is registered. Call services.AddTwistCoordinator(...) " +
                "(package Twist.Coordinator) before building the host, or set Coordinator to Grpc or Rest with an Address.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
