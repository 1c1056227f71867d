using System.Globalization;

namespace Twist.Testing.Internal;

/// <summary>One call to the participant: its status (0 when it could not be reached), the link of a Try answer, and a short text for the report.</summary>
internal sealed record PhaseCall(string What, int Status, string Detail, Uri? Link = null, DateTimeOffset? Expires = null)
{
    /// <summary>Gets whether the participant answered 2xx.</summary>
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>Gets whether a Cancel is done: 2xx, or 404 (nothing was reserved), as the protocol says.</summary>
    public bool CancelDone => Succeeded || Status == 404;

    /// <summary>Gets whether the participant refused cleanly (4xx), as opposed to failing (5xx) or not answering.</summary>
    public bool RefusedCleanly => Status is >= 400 and < 500;

    /// <summary>Gets the answer as the report shows it, e.g. <c>409 tcc-hanging</c>.</summary>
    public string Answer => Status == 0 ? "no answer (" + Detail + ")" : (Status.ToString(CultureInfo.InvariantCulture) + " " + Detail).TrimEnd();

    public override string ToString() => $"{What} -> {Answer}";
}
