namespace Twist.Testing;

/// <summary>
/// A number the kit reads from the participant's own state before and after each scenario, to see what the handlers
/// really did: a confirmed transaction must change it by exactly <see cref="ConfirmedChange"/>, a cancelled one must
/// leave it where it was.
/// </summary>
/// <remarks>
/// Pick quantities that a double Confirm or a wrong Cancel would disturb, for example for a debit of $1: the amount
/// spent (<c>confirmedChange: 1</c>) and the available balance (<c>confirmedChange: -1</c>). Without measures the kit
/// checks the answers only, and cannot see a Confirm applied twice.
/// </remarks>
/// <param name="name">The measure's name in the report, e.g. <c>spent</c>.</param>
/// <param name="readAsync">Reads the current value.</param>
/// <param name="confirmedChange">How much one confirmed Try of the kit's request changes the value.</param>
public sealed class ConformanceMeasure(string name, Func<CancellationToken, Task<decimal>> readAsync, decimal confirmedChange)
{
    /// <summary>Gets the measure's name.</summary>
    public string Name { get; } = !string.IsNullOrWhiteSpace(name) ? name : throw new ArgumentException("Give the measure a name; it appears in the report.", nameof(name));

    /// <summary>Gets the function that reads the current value.</summary>
    public Func<CancellationToken, Task<decimal>> ReadAsync { get; } = readAsync ?? throw new ArgumentNullException(nameof(readAsync));

    /// <summary>Gets how much one confirmed transaction changes the value; a cancelled one changes it by 0.</summary>
    public decimal ConfirmedChange { get; } = confirmedChange;
}
