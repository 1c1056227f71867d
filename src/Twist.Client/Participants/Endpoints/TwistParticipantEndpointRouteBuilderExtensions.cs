using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist.Participants.Endpoints;
using Twist.Participants;
using Twist.Participants.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the protocol endpoints of the Twist participants registered with <c>AddTwistParticipant</c>.</summary>
public static class TwistParticipantEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps, for each registered participant: <c>POST {route}</c> (Try: JSON request, <c>Twist-Transaction-ID</c>
    /// header; answers <c>{"tid","participantLink":{"uri","expires"},"result"}</c>), <c>PUT {route}/{tid}</c> (Confirm)
    /// and <c>DELETE {route}/{tid}</c> (Cancel), all behind the participant guard; and, unless
    /// <c>Twist:Participant:EnableGrpc</c> is off, the gRPC service <c>twist.v1.Participant</c> (Confirm and Cancel of
    /// <c>grpc://</c> links, over HTTP/2).
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, e.g. the <c>WebApplication</c>.</param>
    /// <returns>
    /// A convention builder for the Try endpoints only, e.g. to add <c>.RequireAuthorization()</c> for your callers.
    /// Confirm and Cancel are authenticated with the coordinator's credential (<c>Twist:Participant:CoordinatorCredential</c>)
    /// and are not affected by these conventions.
    /// </returns>
    /// <remarks>
    /// Request and result types are (de)serialized with the app's <c>Microsoft.AspNetCore.Http.Json.JsonOptions</c>.
    /// With trimming or Native AOT, add them to a <c>JsonSerializerContext</c> registered with
    /// <c>ConfigureHttpJsonOptions</c>; a type without a contract fails here, at start-up.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No participant is registered, or a type has no JSON contract.</exception>
    public static IEndpointConventionBuilder MapTwistParticipants(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var participants = services.GetServices<ParticipantDescriptor>().ToList();
        if (participants.Count == 0)
        {
            throw new InvalidOperationException(
                "MapTwistParticipants found no participants. Register them first: builder.Services.AddTwistParticipants() (generated from your " +
                "[TccParticipant] classes) or services.AddTwistParticipant(new TccParticipantRegistration<...>(...)).");
        }

        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var handler = services.GetRequiredService<ParticipantEndpointHandler>();
        var tryEndpoints = new List<IEndpointConventionBuilder>(participants.Count);
        foreach (var participant in participants)
        {
            participant.BindJson(json);
            tryEndpoints.Add(endpoints.MapPost(participant.Route, context => participant.HandleTryAsync(context, handler))
                .WithDisplayName($"Twist participant {participant.Name}: Try"));
            endpoints.MapPut(participant.Route + "/{tid}", context => handler.PhaseAsync(context, participant, confirm: true))
                .WithDisplayName($"Twist participant {participant.Name}: Confirm");
            endpoints.MapDelete(participant.Route + "/{tid}", context => handler.PhaseAsync(context, participant, confirm: false))
                .WithDisplayName($"Twist participant {participant.Name}: Cancel");
        }

        if (services.GetRequiredService<IOptions<TwistParticipantOptions>>().Value.EnableGrpc)
        {
            // Confirm and Cancel for grpc:// links; authenticated like the REST ones, so the Try conventions do not apply.
            endpoints.MapGrpcService<ParticipantGrpcService>().WithDisplayName("Twist participants: gRPC Confirm/Cancel");
        }

        return new CompositeConventionBuilder(tryEndpoints);
    }

    /// <summary>Applies each convention to every Try endpoint.</summary>
    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
