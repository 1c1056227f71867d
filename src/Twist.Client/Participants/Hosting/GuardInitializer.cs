using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Participants.Diagnostics;

namespace Twist.Participants.Hosting;

/// <summary>
/// Prepares the participant runtime before the app serves requests: creates the guard table when missing and warns
/// when Confirm/Cancel are accepted without a coordinator credential. Registered before the sweeper, which needs the table.
/// </summary>
internal sealed class GuardInitializer(
    IServiceScopeFactory scopeFactory,
    GuardFactory guards,
    IEnumerable<ParticipantDescriptor> participants,
    IOptions<TwistParticipantOptions> options,
    ILogger<GuardInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CoordinatorCredential.IsConfigured)
        {
            logger.UnauthenticatedCoordinator();
        }

        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await guards.Create(scope.ServiceProvider).EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }

        logger.ParticipantsStarted(string.Join(", ", participants.Select(p => $"{p.Name} at {p.Route}")), options.Value.ToString());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
