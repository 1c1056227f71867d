namespace Twist.Participants;

/// <summary>Says what the guard decided for one phase call, and so whether the business code runs.</summary>
public enum TccGuardOutcome
{
    /// <summary>The phase is new: the business code runs (and, in the high-level methods, ran and committed).</summary>
    Proceed,

    /// <summary>The phase was already applied: a duplicate call, answered as done without running the business code.</summary>
    Duplicate,

    /// <summary>A Cancel arrived before any Try: a tombstone was written, done without running the Cancel code.</summary>
    NullCompensation,

    /// <summary>A Try arrived after its transaction was cancelled ("hanging"): refused without running the Try code.</summary>
    Hanging,

    /// <summary>A Try for this transaction started before and did not complete (it failed or is still running): refused.</summary>
    TryIncomplete,

    /// <summary>A Confirm arrived but no Try succeeded: nothing to confirm.</summary>
    NotTried,

    /// <summary>The call contradicts the recorded outcome: Confirm after Cancel, or Cancel after Confirm.</summary>
    Conflict,

    /// <summary>
    /// A Confirm or Cancel came with a lower coordinator epoch than one already seen for the transaction: the sender
    /// was overtaken by another coordinator instance (it lost its lease). Refused without running the business code;
    /// <see cref="TccGuardResult.Epoch"/> is the highest epoch seen.
    /// </summary>
    Superseded,
}
