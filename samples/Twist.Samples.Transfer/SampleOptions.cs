using System.Security.Cryptography;
using Twist.Client;
using Twist.Samples.Transfer.Game;

namespace Twist.Samples.Transfer;

/// <summary>The sample's command line.</summary>
internal sealed record SampleOptions
{
    public TwistCoordinatorKind Coordinator { get; init; } = TwistCoordinatorKind.Embedded;

    public Uri? Address { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The bearer token the coordinator presents to the participants on Confirm/Cancel.</summary>
    public string ParticipantToken { get; init; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>Where the SQLite files go; a fresh temporary folder (deleted at the end) when not given.</summary>
    public string? DataDirectory { get; init; }

    public bool Verbose { get; init; }

    /// <summary>GAME1's participant links: gRPC by default, so the story shows both transports (BANK1's are http://).</summary>
    public GameLinks GameLinks { get; init; } = GameLinks.Grpc;

    public const string Usage = """
        Usage: dotnet run --project samples/Twist.Samples.Transfer [-- options]
          --coordinator embedded|grpc|rest   where the coordinator runs (default: embedded, in this process)
          --address <uri>                    a hosted coordinator, e.g. http://127.0.0.1:5080 (grpc and rest)
          --api-key <key>                    the hosted coordinator's API key
          --participant-token <token>        the bearer token the coordinator sends to participants; with a hosted
                                             coordinator it must equal its Twist:Coordinator:ParticipantCredential:BearerToken
          --game-links grpc|http             how the coordinator calls GAME1's Confirm and Cancel: grpc:// links, the
                                             twist.v1.Participant gRPC service (default), or http:// links, REST like BANK1
          --data <folder>                    keep the SQLite files in this folder instead of a temporary one
          --verbose                          show the services' logs
        Instead of the first four options, the environment may set the SDK's own keys: Twist__Client__Coordinator,
        Twist__Client__Address, Twist__Client__ApiKey and Twist__Participant__CoordinatorCredential__BearerToken.
        """;

    /// <summary>
    /// Parses the arguments over the SDK's configuration keys in the environment (flags win); returns an error message
    /// instead of options when they are wrong.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Reads an environment variable; <see langword="null"/> ignores the environment.</param>
    public static (SampleOptions? Options, string? Error) Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        environment ??= static _ => null;
        var options = new SampleOptions();
        string? token = environment("Twist__Participant__CoordinatorCredential__BearerToken");
        args = [.. FromEnvironment(environment), .. args];
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            try
            {
                switch (args[i])
                {
                    case "--coordinator":
                        var kind = Value();
                        if (!Enum.TryParse<TwistCoordinatorKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                        {
                            return (null, $"--coordinator is '{kind}'; use embedded, grpc or rest.");
                        }

                        options = options with { Coordinator = parsed };
                        break;
                    case "--address":
                        var address = Value();
                        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
                        {
                            return (null, $"--address is '{address}'; give an absolute URI such as http://127.0.0.1:5080.");
                        }

                        options = options with { Address = uri };
                        break;
                    case "--api-key":
                        options = options with { ApiKey = Value() };
                        break;
                    case "--participant-token":
                        token = Value();
                        break;
                    case "--game-links":
                        var links = Value();
                        if (!Enum.TryParse<GameLinks>(links, ignoreCase: true, out var parsedLinks) || !Enum.IsDefined(parsedLinks))
                        {
                            return (null, $"--game-links is '{links}'; use grpc or http.");
                        }

                        options = options with { GameLinks = parsedLinks };
                        break;
                    case "--data":
                        options = options with { DataDirectory = Value() };
                        break;
                    case "--verbose":
                        options = options with { Verbose = true };
                        break;
                    case "-h" or "--help":
                        return (null, string.Empty);
                    default:
                        return (null, $"Unknown option '{args[i]}'.");
                }
            }
            catch (ArgumentException ex)
            {
                return (null, ex.Message);
            }
        }

        if (options.Coordinator != TwistCoordinatorKind.Embedded)
        {
            if (options.Address is null)
            {
                return (null, $"--coordinator {options.Coordinator.ToString().ToLowerInvariant()} needs --address, e.g. http://127.0.0.1:5080.");
            }

            if (token is null)
            {
                return (null, "A hosted coordinator needs --participant-token: the bearer token it was configured to send to participants " +
                    "(Twist:Coordinator:ParticipantCredential:BearerToken), so that the Bank and the Game accept its Confirm and Cancel calls.");
            }
        }

        return (token is null ? options : options with { ParticipantToken = token }, null);
    }

    /// <summary>Turns the SDK's <c>Twist:Client</c> keys found in the environment into the equivalent flags.</summary>
    private static IEnumerable<string> FromEnvironment(Func<string, string?> environment)
    {
        foreach (var (variable, flag) in new (string, string)[]
        {
            ("Twist__Client__Coordinator", "--coordinator"), ("Twist__Client__Address", "--address"), ("Twist__Client__ApiKey", "--api-key"),
        })
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                yield return flag;
                yield return value;
            }
        }
    }
}
