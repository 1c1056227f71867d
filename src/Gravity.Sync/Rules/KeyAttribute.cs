namespace Gravity.Sync.Rules;

/// <summary>
/// Marks a property of a <see cref="ProjectionAttribute"/> event type as part of the row key (<c>"primary": true</c> in
/// rules.json). Several properties make a composite key, in declaration order. On a positional record parameter, apply
/// it as <c>[property: Key]</c> (a plain <c>[Key]</c> on the parameter is accepted too).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class KeyAttribute : Attribute;
