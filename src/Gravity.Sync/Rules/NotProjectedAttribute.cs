namespace Gravity.Sync.Rules;

/// <summary>
/// Leaves a property of a <see cref="ProjectionAttribute"/> event type out of the views and out of the payload the
/// generated <c>ToGravityEvent()</c> writes (for example a property of a type no column can hold).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class NotProjectedAttribute : Attribute;
