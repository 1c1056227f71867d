using System.CodeDom.Compiler;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Twist.Client.Generators.Tests.Consumer;
using Twist.Client.Generators.Tests.Infrastructure;
using Twist.Participants;

namespace Twist.Client.Generators.Tests;

/// <summary>
/// The generator as an app meets it: it ran as a compiler extension while this project was built (see the .csproj),
/// so AddTwistParticipants() below is generated code registering Consumer/ConsumerParticipants.cs.
/// </summary>
public sealed class ConsumerTests
{
    [Fact]
    public async Task AddTwistParticipants_is_generated_for_this_project_and_registers_its_participants()
    {
        var services = new ServiceCollection();

        var builder = services.AddTwistParticipants();

        Assert.Same(services, builder.Services);
        IReadOnlyList<RegistrationView> registrations = RegistrationView.From(services);
        Assert.Equal(["consumer-points", "consumer-wallet"], registrations.Select(r => r.Name));

        var wallet = Assert.IsType<TccParticipantRegistration<ConsumerWallet, DebitRequest, Reservation>>(registrations[1].Registration);
        Assert.Equal("/wallet/debit", wallet.Route);
        var participant = new ConsumerWallet();
        Reservation reservation = await wallet.TryHandler(participant, new DebitRequest("USER1", 100m), RegistrationView.Context("try"), CancellationToken.None);
        await wallet.ConfirmHandler(participant, RegistrationView.Context("confirm"), CancellationToken.None);
        await wallet.CancelHandler(participant, RegistrationView.Context("cancel"), CancellationToken.None);
        Assert.Equal("r-tid-1", reservation.Id);
        Assert.Equal(["try USER1 100 tid-1", "confirm tid-1", "cancel tid-1"], participant.Calls);

        var points = Assert.IsType<TccParticipantRegistration<ConsumerPoints, int, NoResult>>(registrations[0].Registration);
        Assert.Null(points.Route);
        var pointsParticipant = new ConsumerPoints();
        Assert.Same(NoResult.Value, await points.TryHandler(pointsParticipant, 100, RegistrationView.Context("try"), CancellationToken.None));
        Assert.Equal(["try 100"], pointsParticipant.Calls);
    }

    [Fact]
    public void The_generated_class_is_internal_and_marked_as_generated_code()
    {
        Type generated = typeof(ConsumerTests).Assembly.GetType("Microsoft.Extensions.DependencyInjection.TwistParticipantsServiceCollectionExtensions", throwOnError: true)!;

        Assert.True(generated.IsNotPublic);
        Assert.Equal("Twist.Client.Generators", generated.GetCustomAttribute<GeneratedCodeAttribute>()!.Tool);
    }
}
