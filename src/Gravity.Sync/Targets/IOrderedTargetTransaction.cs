namespace Gravity.Sync.Targets;

/// <summary>
/// A transaction that runs every row change as its own statement, in the order it is given. The caller may then pass
/// a whole batch at once, several changes of one key included, instead of splitting it so no call repeats a key.
/// </summary>
internal interface IOrderedTargetTransaction
{
    /// <summary>Gets a value indicating whether <see cref="ITargetTransaction.ApplyAsync"/> applies changes one by one, in order.</summary>
    bool AppliesInOrder { get; }
}
