using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Gravity.Sync.Nats.Internal;

/// <summary>Finds a stream, creating it when missing (and allowed); an existing stream is used as its owner configured it.</summary>
internal static class NatsStreams
{
    private const int StreamNotFound = 10059; // JetStream API error codes
    private const int StreamNameInUse = 10058;

    public static async Task EnsureAsync(NatsJSContext js, string stream, string subjects, bool create, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await js.GetStreamAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == StreamNotFound)
        {
            if (!create)
            {
                throw new InvalidOperationException($"JetStream stream \"{stream}\" does not exist; create it (subjects {subjects}) or set {GravityNatsOptions.SectionName}:CreateStream to true.", ex);
            }

            try
            {
                await js.CreateStreamAsync(new StreamConfig(stream, [subjects]), cancellationToken).ConfigureAwait(false);
                logger.StreamCreated(stream, subjects);
            }
            catch (NatsJSApiException inUse) when (inUse.Error.ErrCode == StreamNameInUse)
            {
                // Another instance created it between our lookup and our create: use theirs.
            }
        }
    }
}
