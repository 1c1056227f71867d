using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Twist.Participants.Endpoints;

namespace Twist.Participants.Hosting;

/// <summary>One registered participant, without its generic types: what the endpoints and the sweeper need.</summary>
internal abstract class ParticipantDescriptor(string name, string route, Type participantType)
{
    public string Name { get; } = name;

    /// <summary>Gets the route prefix: starts with '/', no trailing '/'.</summary>
    public string Route { get; } = route;

    public Type ParticipantType { get; } = participantType;

    /// <summary>Resolves the JSON contracts of the request and result from the app's options, so a missing one fails at start-up.</summary>
    public abstract void BindJson(JsonSerializerOptions options);

    /// <summary>Answers a Try request.</summary>
    public abstract Task HandleTryAsync(HttpContext context, ParticipantEndpointHandler handler);

    public abstract Task ConfirmAsync(TccContext context, CancellationToken cancellationToken);

    public abstract Task CancelAsync(TccContext context, CancellationToken cancellationToken);

    /// <summary>Tells whether <paramref name="other"/> registers the same participant (the generated registration called twice).</summary>
    public abstract bool IsSameAs(ParticipantDescriptor other);
}

/// <summary>The typed participant: calls the generated (or hand-written) handler delegates.</summary>
internal sealed class ParticipantDescriptor<TParticipant, TRequest, TResult>(
    TccParticipantRegistration<TParticipant, TRequest, TResult> registration, string route)
    : ParticipantDescriptor(registration.Name, route, typeof(TParticipant))
    where TParticipant : class
{
    public TccParticipantRegistration<TParticipant, TRequest, TResult> Registration { get; } = registration;

    public JsonTypeInfo<TRequest> RequestJson { get; private set; } = null!;

    /// <summary>Gets the result's contract, or <see langword="null"/> for <see cref="NoResult"/> (the answer has no result).</summary>
    public JsonTypeInfo<TResult>? ResultJson { get; private set; }

    public override void BindJson(JsonSerializerOptions options)
    {
        RequestJson = Resolve<TRequest>(options);
        ResultJson = typeof(TResult) == typeof(NoResult) ? null : Resolve<TResult>(options);
    }

    public override Task HandleTryAsync(HttpContext context, ParticipantEndpointHandler handler) => handler.TryAsync(context, this);

    public override Task ConfirmAsync(TccContext context, CancellationToken cancellationToken) =>
        Registration.ConfirmHandler(context.Services.GetRequiredService<TParticipant>(), context, cancellationToken);

    public override Task CancelAsync(TccContext context, CancellationToken cancellationToken) =>
        Registration.CancelHandler(context.Services.GetRequiredService<TParticipant>(), context, cancellationToken);

    public override bool IsSameAs(ParticipantDescriptor other) =>
        other is ParticipantDescriptor<TParticipant, TRequest, TResult> typed && typed.Name == Name && typed.Route == Route;

    private JsonTypeInfo<T> Resolve<T>(JsonSerializerOptions options)
    {
        try
        {
            return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"Participant '{Name}' cannot serialize {typeof(T)}: the app's JSON options (Microsoft.AspNetCore.Http.Json.JsonOptions) have no contract for it. " +
                $"With trimming or Native AOT, add [JsonSerializable(typeof({typeof(T).Name}))] to your JsonSerializerContext and register it with " +
                "builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, YourContext.Default)).",
                ex);
        }
    }
}
