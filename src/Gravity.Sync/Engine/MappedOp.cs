using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Engine;

/// <summary>What one rule makes of one event for one database: a row change, a truncate, or a reason it cannot be applied.</summary>
internal sealed class MappedOp
{
    public required GravityEvent Event { get; init; }

    public required CompiledRule Rule { get; init; }

    /// <summary>Gets the op's index among the event's ops for this database; with the position it identifies a parked entry.</summary>
    public required int OpIndex { get; init; }

    /// <summary>Gets the row key text, or <see langword="null"/> when no key could be read (a dead letter) or for a truncate.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the change to write, when the event mapped cleanly.</summary>
    public RowChange? Change { get; init; }

    /// <summary>Gets why the event cannot be applied (wrong type, missing key, malformed payload).</summary>
    public string? Error { get; init; }

    public string Table => Rule.Table.Name;

    public bool IsTruncate => Rule.Rule.Method == ProjectionMethod.Truncate;
}
