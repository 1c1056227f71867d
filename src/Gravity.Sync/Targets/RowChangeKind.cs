namespace Gravity.Sync.Targets;

/// <summary>How a row change is written.</summary>
public enum RowChangeKind
{
    /// <summary>Insert; an existing row with the key is left untouched.</summary>
    Insert,

    /// <summary>Insert, or update the given columns when the stored row is not newer.</summary>
    Upsert,

    /// <summary>Delete the row when it is not newer.</summary>
    Delete,
}
