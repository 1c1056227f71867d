namespace Twist.Participants;

/// <summary>Calls a participant's Try method.</summary>
/// <typeparam name="TParticipant">The participant class.</typeparam>
/// <typeparam name="TRequest">The Try request body type.</typeparam>
/// <typeparam name="TResult">The Try result type (<see cref="NoResult"/> when the method returns a plain Task).</typeparam>
/// <param name="participant">The participant instance (resolved from the request's services).</param>
/// <param name="request">The deserialized request body.</param>
/// <param name="context">The call's context.</param>
/// <param name="cancellationToken">The request's cancellation token.</param>
/// <returns>The Try result, returned to the caller beside the participant link.</returns>
public delegate Task<TResult> TccTryHandler<in TParticipant, in TRequest, TResult>(
    TParticipant participant, TRequest request, TccContext context, CancellationToken cancellationToken);

/// <summary>Calls a participant's Confirm or Cancel method.</summary>
/// <typeparam name="TParticipant">The participant class.</typeparam>
/// <param name="participant">The participant instance.</param>
/// <param name="context">The call's context.</param>
/// <param name="cancellationToken">The request's cancellation token.</param>
/// <returns>A task that completes when the phase is applied.</returns>
public delegate Task TccPhaseHandler<in TParticipant>(TParticipant participant, TccContext context, CancellationToken cancellationToken);

/// <summary>The result type of a Try method that returns a plain <see cref="Task"/>.</summary>
public sealed class NoResult
{
    /// <summary>The only value.</summary>
    public static readonly NoResult Value = new();

    private NoResult()
    {
    }
}

/// <summary>
/// One participant's handlers, as the source generator emits them for a <see cref="TccParticipantAttribute"/> class
/// (static lambdas, no reflection). Hand-written registrations are supported too.
/// </summary>
/// <typeparam name="TParticipant">The participant class; registered as a scoped service if not already registered.</typeparam>
/// <typeparam name="TRequest">The Try request body type.</typeparam>
/// <typeparam name="TResult">The Try result type.</typeparam>
/// <param name="name">The participant name (see <see cref="TccParticipantAttribute"/>).</param>
/// <param name="tryHandler">Calls the Try method.</param>
/// <param name="confirmHandler">Calls the Confirm method.</param>
/// <param name="cancelHandler">Calls the Cancel method.</param>
public sealed class TccParticipantRegistration<TParticipant, TRequest, TResult>(
    string name,
    TccTryHandler<TParticipant, TRequest, TResult> tryHandler,
    TccPhaseHandler<TParticipant> confirmHandler,
    TccPhaseHandler<TParticipant> cancelHandler)
    where TParticipant : class
{
    /// <summary>Gets the participant name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets or sets the route prefix; <see langword="null"/> for <c>/twist/participants/{name}</c>.</summary>
    public string? Route { get; init; }

    /// <summary>Gets the Try handler.</summary>
    public TccTryHandler<TParticipant, TRequest, TResult> TryHandler { get; } = tryHandler;

    /// <summary>Gets the Confirm handler.</summary>
    public TccPhaseHandler<TParticipant> ConfirmHandler { get; } = confirmHandler;

    /// <summary>Gets the Cancel handler.</summary>
    public TccPhaseHandler<TParticipant> CancelHandler { get; } = cancelHandler;
}
