namespace Twist.Transactions;

/// <summary>
/// Represents the seed's <c>participantLink {uri, expires}</c>: where the coordinator sends Confirm (PUT) and
/// Cancel (DELETE), and until when the participant keeps its reservation.
/// </summary>
/// <param name="Uri">The absolute http, https or grpc URI of the reservation.</param>
/// <param name="Expires">When the reservation lapses; a link expired at decision time turns the decision into Cancel.</param>
public sealed record ParticipantLink(Uri Uri, DateTimeOffset Expires);
