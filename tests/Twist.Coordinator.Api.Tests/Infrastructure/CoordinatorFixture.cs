[assembly: AssemblyFixture(typeof(Twist.Coordinator.Api.Tests.Infrastructure.CoordinatorFixture))]

namespace Twist.Coordinator.Api.Tests.Infrastructure;

/// <summary>One coordinator host and one participant app shared by the tests of this assembly.</summary>
public sealed class CoordinatorFixture : IAsyncLifetime
{
    private CoordinatorHost? host;
    private ParticipantApp? participants;

    public CoordinatorHost Host => host ?? throw new InvalidOperationException("The fixture has not started.");

    public ParticipantApp Participants => participants ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync()
    {
        participants = await ParticipantApp.StartAsync();
        host = await CoordinatorHost.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (participants is not null)
        {
            await participants.DisposeAsync();
        }
    }
}
