namespace Gravity.Sync.Rules;

/// <summary>What a projection rule does with the rows an event maps to.</summary>
public enum ProjectionMethod
{
    /// <summary>Inserts the row; an existing row with the same key is left as it is (so redeliveries are harmless).</summary>
    Insert,

    /// <summary>Inserts the row or updates the mapped columns of the existing one (<c>"update"</c> in rules.json).</summary>
    Upsert,

    /// <summary>Deletes the row with the event's key.</summary>
    Delete,

    /// <summary>Empties the table (rows written by earlier events only); an explicit operation, never implied.</summary>
    Truncate,
}
