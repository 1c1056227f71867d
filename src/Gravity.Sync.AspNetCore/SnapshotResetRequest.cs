namespace Gravity.Sync.AspNetCore;

/// <summary>The body of <c>POST {prefix}/snapshot</c>, echoed in its 202 answer.</summary>
/// <param name="Database">The database to empty and fill again.</param>
/// <param name="From">The database (or registered snapshot source) to fill it from.</param>
internal sealed record SnapshotResetRequest(string Database, string From);
