using System.Text.RegularExpressions;

namespace Rosen.Collector.Otlp;

/// <summary>
/// Fills a message template's placeholders from the record's attributes. OpenTelemetry .NET sends the template
/// (<c>"Transaction {Tid} finished {Status}"</c>) as the body unless <c>IncludeFormattedMessage</c> is on, and the
/// values as attributes; people reading the manager's page want the message.
/// </summary>
internal static partial class LogMessageTemplate
{
    /// <summary>The message with each <c>{Name}</c> (or <c>{Name:format}</c>, <c>{Name,width}</c>) whose attribute the record carries replaced by its value.</summary>
    /// <param name="body">The body, a template or a message already formatted.</param>
    /// <param name="attributes">The record's attributes.</param>
    /// <returns>The rendered message; the body unchanged when no placeholder names an attribute.</returns>
    public static string Render(string body, IReadOnlyDictionary<string, string> attributes)
    {
        if (attributes.Count == 0 || !body.Contains('{', StringComparison.Ordinal))
        {
            return body;
        }

        var filled = false;
        var rendered = Placeholder().Replace(body, match =>
        {
            if (!attributes.TryGetValue(match.Groups["name"].Value, out var value))
            {
                return match.Value;
            }

            filled = true;
            return value;
        });

        // Only a template escapes braces by doubling them; a message that filled nothing is left exactly as sent.
        return filled ? rendered.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal) : body;
    }

    [GeneratedRegex(@"(?<!\{)\{(?<name>@?[A-Za-z0-9_.]+)(?:[,:][^{}]*)?\}(?!\})", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
