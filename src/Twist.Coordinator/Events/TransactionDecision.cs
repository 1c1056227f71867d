namespace Twist.Coordinator.Events;

/// <summary>The decision a <see cref="TransactionEventKind.Decided"/> event announces.</summary>
public enum TransactionDecision
{
    /// <summary>Every participant is told to confirm.</summary>
    Confirm = 0,

    /// <summary>Every participant is told to cancel; <see cref="TransactionEvent.Reason"/> says why.</summary>
    Cancel = 1,
}
