namespace Twist.Coordinator.Dispatch;

/// <summary>Delivers Confirm/Cancel over one kind of link (HTTP or gRPC). Never throws for participant failures: it classifies them.</summary>
internal interface IParticipantTransport
{
    bool CanDeliver(Uri uri);

    Task<DeliveryResult> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken);
}
