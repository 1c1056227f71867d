using Twist.Coordinator.Storage;

namespace Twist.Coordinator.Dispatch;

/// <summary>One Confirm or Cancel to deliver to one participant.</summary>
/// <param name="Tid">The transaction id.</param>
/// <param name="Participant">The participant.</param>
/// <param name="Phase"><see cref="Twist.Protocol.TwistHeaders.PhaseConfirm"/> or <see cref="Twist.Protocol.TwistHeaders.PhaseCancel"/>.</param>
/// <param name="Epoch">The fencing epoch the transaction is driven under, sent as <c>Twist-Epoch</c>; 0 (not sent) in single-writer stores.</param>
internal sealed record DeliveryRequest(string Tid, StoredParticipant Participant, string Phase, long Epoch = 0)
{
    public bool IsConfirm => Phase == Twist.Protocol.TwistHeaders.PhaseConfirm;
}
