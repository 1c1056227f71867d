namespace Rosen.Manager.Operations;

// The Gravity.Sync operator API's JSON (Gravity.Sync.AspNetCore, MapGravitySyncOperatorApi).

public sealed class SyncTargetStatus
{
    public string Database { get; set; } = string.Empty;

    public long Position { get; set; }

    public long HeadPosition { get; set; }

    public int ParkedKeys { get; set; }

    public bool Running { get; set; }

    /// <summary>The source lane the positions belong to (a partitioned source has one status per database and partition).</summary>
    public string? Source { get; set; }

    /// <summary>The snapshot load in progress (or the last one that failed), or <see langword="null"/> when the database follows the live stream.</summary>
    public SyncSnapshotProgress? Snapshot { get; set; }

    /// <summary>The last load the synchronizer instance completed for the database since it started, or <see langword="null"/>.</summary>
    public SyncSnapshotLoaded? LastSnapshot { get; set; }

    /// <summary>The database's configured origin (<c>SnapshotFrom</c>), or <see langword="null"/>.</summary>
    public string? SnapshotFrom { get; set; }

    public long Lag => Math.Max(0, HeadPosition - Position);
}

public sealed class SyncSnapshotLoaded
{
    public string From { get; set; } = string.Empty;

    public DateTimeOffset FinishedAt { get; set; }

    public long Rows { get; set; }

    public TimeSpan Duration { get; set; }
}

public sealed class SyncSnapshotProgress
{
    public string From { get; set; } = string.Empty;

    public DateTimeOffset StartedAt { get; set; }

    public long RowsLoaded { get; set; }
}

public sealed class SyncSnapshotRequest
{
    public string Database { get; set; } = string.Empty;

    public string From { get; set; } = string.Empty;
}

public sealed class SyncParkedKey
{
    public string Database { get; set; } = string.Empty;

    public string Table { get; set; } = string.Empty;

    public string? Key { get; set; }
}

public sealed class SyncParkedEvent
{
    public SyncParkedKey ParkedKey { get; set; } = new();

    public long Position { get; set; }

    public string EventId { get; set; } = string.Empty;

    public string EventName { get; set; } = string.Empty;

    public string Reason { get; set; } = string.Empty;

    public DateTimeOffset ParkedAt { get; set; }

    public int Attempts { get; set; }
}

public sealed class SyncReplayResult
{
    public int Applied { get; set; }

    public int StillParked { get; set; }

    public string? Error { get; set; }
}

/// <summary>What one synchronizer reported, or why it could not.</summary>
public sealed record SynchronizerReport(string Name, IReadOnlyList<SyncTargetStatus> Targets, IReadOnlyList<SyncParkedEvent> Parked, string? Error)
{
    /// <summary>Gets what each projection rule wrote since the synchronizer started (empty from synchronizers without <c>/rules</c>).</summary>
    public IReadOnlyList<SyncRuleStatus> Rules { get; init; } = [];
}

public sealed class SyncRuleStatus
{
    public string Event { get; set; } = string.Empty;

    public string Database { get; set; } = string.Empty;

    public string Table { get; set; } = string.Empty;

    public string Method { get; set; } = string.Empty;

    public long RowsApplied { get; set; }

    public long RowsParked { get; set; }

    public string? Origin { get; set; }

    public DateTimeOffset? LastAppliedAt { get; set; }

    public DateTimeOffset Since { get; set; }

    /// <summary>Row changes per minute, averaged since the synchronizer started.</summary>
    public double RowsPerMinute(DateTimeOffset now) => RowsApplied / Math.Max((now - Since).TotalMinutes, 1.0 / 60);
}
