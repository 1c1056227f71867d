using Microsoft.CodeAnalysis.Text;

namespace Twist.Testing.Generators;

/// <summary>Source with <c>[|...|]</c> markers around the spans where diagnostics are expected.</summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
    {
        var spans = new List<TextSpan>();
        var source = new System.Text.StringBuilder();
        int index = 0;
        while (index < markup.Length)
        {
            int open = markup.IndexOf("[|", index, StringComparison.Ordinal);
            if (open < 0)
            {
                source.Append(markup, index, markup.Length - index);
                break;
            }

            int close = markup.IndexOf("|]", open, StringComparison.Ordinal);
            source.Append(markup, index, open - index);
            int start = source.Length;
            source.Append(markup, open + 2, close - open - 2);
            spans.Add(TextSpan.FromBounds(start, source.Length));
            index = close + 2;
        }

        return (source.ToString(), spans);
    }
}
