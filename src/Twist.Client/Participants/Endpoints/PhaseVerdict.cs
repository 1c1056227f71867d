namespace Twist.Participants.Endpoints;

/// <summary>What a Confirm or Cancel came to, before a transport turns it into an HTTP status or a gRPC status.</summary>
internal enum PhaseVerdict
{
    /// <summary>Applied, a duplicate of one applied, or a Cancel before any Try (null compensation): the coordinator is done.</summary>
    Done,

    /// <summary>Confirm without a successful Try.</summary>
    NotTried,

    /// <summary>Confirm after Cancel, or Cancel after Confirm.</summary>
    Conflict,

    /// <summary>A higher coordinator epoch was already seen; <see cref="PhaseResult.Epoch"/> is it.</summary>
    StaleEpoch,

    /// <summary>The call did not carry the coordinator's credential.</summary>
    Unauthenticated,

    /// <summary>The handler threw <see cref="TccRejectedException"/>; <see cref="PhaseResult.Rejection"/> is it.</summary>
    Rejected,

    /// <summary>The handler failed unexpectedly; its writes were rolled back and the coordinator should retry.</summary>
    Failed,
}

/// <summary>The result of <see cref="ParticipantPhaseRunner.RunAsync"/>.</summary>
/// <param name="Verdict">What the call came to.</param>
/// <param name="Outcome">The guard outcome's wire name (<c>applied</c>, <c>duplicate</c>, <c>null_compensation</c>, …) when the guard decided.</param>
/// <param name="Epoch">On <see cref="PhaseVerdict.StaleEpoch"/>, the highest epoch seen for the transaction.</param>
/// <param name="Rejection">On <see cref="PhaseVerdict.Rejected"/>, the handler's refusal.</param>
internal readonly record struct PhaseResult(PhaseVerdict Verdict, string? Outcome = null, long Epoch = 0, TccRejectedException? Rejection = null);
