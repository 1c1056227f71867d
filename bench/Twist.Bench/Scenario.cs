namespace Twist.Bench;

/// <summary>One benchmark scenario: a transfer, and what to switch on while it runs (e.g. tracing).</summary>
internal sealed record Scenario(string Name, Func<int, Task> Transfer, Func<IDisposable>? Enter = null);
