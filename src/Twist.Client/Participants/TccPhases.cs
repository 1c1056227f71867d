namespace Twist.Participants;

/// <summary>The phase names of <see cref="TccContext.Phase"/>, spans and metrics.</summary>
internal static class TccPhases
{
    public const string Try = "try";
    public const string Confirm = "confirm";
    public const string Cancel = "cancel";
}
