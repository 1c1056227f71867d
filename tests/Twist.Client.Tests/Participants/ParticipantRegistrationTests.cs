using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;

namespace Twist.Client.Tests.Participants;

/// <summary>AddTwistParticipant: the registration the source generator emits, idempotent, with clear errors.</summary>
public sealed class ParticipantRegistrationTests
{
    [Fact]
    public void Registering_the_same_participant_twice_is_a_no_op()
    {
        var services = new ServiceCollection();

        var builder = services.AddTwistParticipant(WalletParticipant.Registration());
        services.AddTwistParticipant(WalletParticipant.Registration());

        Assert.Same(services, builder.Services);
        Assert.Single(services, d => d.ServiceType == typeof(WalletParticipant));
        Assert.Single(services, d => d.ServiceType.Name == "ParticipantDescriptor");
        Assert.Equal(ServiceLifetime.Scoped, services.Single(d => d.ServiceType == typeof(WalletParticipant)).Lifetime);
    }

    [Fact]
    public void Two_participants_with_one_name_fail_with_a_message_naming_both()
    {
        var services = new ServiceCollection();
        services.AddTwistParticipant(WalletParticipant.Registration());

        var clash = new TccParticipantRegistration<AuditParticipant, AuditEntry, NoResult>(
            WalletParticipant.Name, static (_, _, _, _) => Task.FromResult(NoResult.Value), static (_, _, _) => Task.CompletedTask, static (_, _, _) => Task.CompletedTask);
        var ex = Assert.Throws<InvalidOperationException>(() => services.AddTwistParticipant(clash));

        Assert.Contains("'wallet-debit'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(WalletParticipant), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AuditParticipant), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_participants_on_one_route_fail()
    {
        var services = new ServiceCollection();
        services.AddTwistParticipant(WalletParticipant.Registration("/shared"));
        var other = new TccParticipantRegistration<AuditParticipant, AuditEntry, NoResult>(
            "other", static (_, _, _, _) => Task.FromResult(NoResult.Value), static (_, _, _) => Task.CompletedTask, static (_, _, _) => Task.CompletedTask)
        {
            Route = "/shared/",
        };

        Assert.Throws<InvalidOperationException>(() => services.AddTwistParticipant(other));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("has space", null)]
    [InlineData("ok", "no-leading-slash")]
    [InlineData("ok", "/with/{param}")]
    public void Malformed_names_and_routes_are_argument_errors(string name, string? route)
    {
        var registration = new TccParticipantRegistration<AuditParticipant, AuditEntry, NoResult>(
            name, static (_, _, _, _) => Task.FromResult(NoResult.Value), static (_, _, _) => Task.CompletedTask, static (_, _, _) => Task.CompletedTask)
        {
            Route = route,
        };

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTwistParticipant(registration));
    }

    [Fact]
    public async Task MapTwistParticipants_without_participants_says_how_to_register_them()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddTwistParticipantOptions();
        await using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapTwistParticipants());

        Assert.Contains("AddTwistParticipants()", ex.Message, StringComparison.Ordinal);
    }
}
