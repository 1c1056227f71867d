namespace Twist.Testing;

/// <summary>Selects the scenarios <see cref="ParticipantConformanceKit"/> replays.</summary>
[Flags]
public enum ConformanceScenarios
{
    /// <summary>No scenario.</summary>
    None = 0,

    /// <summary>Confirm sent several times at once and once more later: every answer 2xx, applied exactly once.</summary>
    DuplicateConfirm = 1,

    /// <summary>Cancel before any Try (null compensation): answered 2xx or 404, nothing changes.</summary>
    NullCompensation = 2,

    /// <summary>A Try that arrives after its Cancel (hanging): refused, nothing reserved.</summary>
    Hanging = 4,

    /// <summary>Cancel after a Try the participant refused or failed: answered 2xx or 404, nothing released that was never held.</summary>
    CancelAfterFailedTry = 8,

    /// <summary>The coordinator crashed between phases and re-sends Confirm or Cancel after a pause: answered the same, applied once.</summary>
    CoordinatorCrash = 16,

    /// <summary>A timeout's Cancel races the caller's Confirm: exactly one wins, and the effects match the winner.</summary>
    TimeoutRacingConfirm = 32,

    /// <summary>Every scenario.</summary>
    All = DuplicateConfirm | NullCompensation | Hanging | CancelAfterFailedTry | CoordinatorCrash | TimeoutRacingConfirm,
}
