namespace Gravity.Sync.Operations;

/// <summary>The outcome of replaying a parked key.</summary>
/// <param name="Applied">How many parked entries were applied and removed.</param>
/// <param name="StillParked">How many remain parked (the first of them failed again).</param>
/// <param name="Error">Why the first remaining entry failed, or <see langword="null"/> when the key is no longer parked.</param>
public sealed record ReplayResult(int Applied, int StillParked, string? Error)
{
    /// <summary>Gets a value indicating whether the key is unparked: everything applied and later events flow again.</summary>
    public bool Succeeded => Error is null;
}
