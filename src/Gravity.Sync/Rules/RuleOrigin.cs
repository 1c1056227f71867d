namespace Gravity.Sync.Rules;

/// <summary>Where a rule was declared, so errors can point at it.</summary>
/// <param name="File">The file (or, for rules declared in code, the type) the rule came from.</param>
/// <param name="Index">The rule's position in that file's <c>rules</c> array.</param>
public sealed record RuleOrigin(string File, int Index)
{
    /// <summary>Returns the origin as <c>file: rules[index]</c>.</summary>
    /// <returns>A short description of the origin.</returns>
    public override string ToString() => $"{File}: rules[{Index}]";
}
