using Microsoft.Extensions.DependencyInjection;
using Twist.Participants;

namespace Twist.Client.Generators.Tests.Infrastructure;

/// <summary>
/// Reads the <see cref="TccParticipantRegistration{TParticipant, TRequest, TResult}"/> objects AddTwistParticipants()
/// put into a service collection, and calls their handlers without knowing the type arguments at compile time.
/// </summary>
internal sealed record RegistrationView(object Registration)
{
    public Type[] TypeArguments => Registration.GetType().GetGenericArguments();

    public string Name => (string)Get(nameof(TccParticipantRegistration<object, object, object>.Name))!;

    public string? Route => (string?)Get(nameof(TccParticipantRegistration<object, object, object>.Route));

    /// <summary>
    /// Finds the registrations in the order they were added. The runtime keeps each one in an internal
    /// <c>ParticipantDescriptor</c> singleton (its <c>Registration</c> property); reflection keeps this test project
    /// out of Twist.Client's internals.
    /// </summary>
    public static IReadOnlyList<RegistrationView> From(IServiceCollection services) =>
        [.. services
            .Where(d => !d.IsKeyedService && d.ServiceType.FullName == "Twist.Participants.Hosting.ParticipantDescriptor")
            .Select(d => d.ImplementationInstance?.GetType().GetProperty("Registration")?.GetValue(d.ImplementationInstance))
            .Where(r => r is not null && r.GetType().IsGenericType && r.GetType().GetGenericTypeDefinition() == typeof(TccParticipantRegistration<,,>))
            .Select(r => new RegistrationView(r!))];

    public static TccContext Context(string phase) => new()
    {
        Tid = "tid-1",
        Participant = "p",
        Phase = phase,
        Services = new ServiceCollection().BuildServiceProvider(),
    };

    public async Task<object?> TryAsync(object participant, object? request)
    {
        var task = (Task)((Delegate)Get(nameof(TccParticipantRegistration<object, object, object>.TryHandler))!)
            .DynamicInvoke(participant, request, Context("try"), CancellationToken.None)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task);
    }

    public Task ConfirmAsync(object participant) => InvokePhase(nameof(TccParticipantRegistration<object, object, object>.ConfirmHandler), participant, "confirm");

    public Task CancelAsync(object participant) => InvokePhase(nameof(TccParticipantRegistration<object, object, object>.CancelHandler), participant, "cancel");

    private Task InvokePhase(string handler, object participant, string phase) =>
        (Task)((Delegate)Get(handler)!).DynamicInvoke(participant, Context(phase), CancellationToken.None)!;

    private object? Get(string property) => Registration.GetType().GetProperty(property)!.GetValue(Registration);
}
