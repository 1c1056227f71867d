using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Shared.Generators;

/// <summary>
/// A source location without the syntax tree behind it: <see cref="Location"/> holds the tree (and so the whole
/// compilation), which would defeat the generator's caching. The same trimming System.Text.Json's generator does.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is { IsInSource: true } ? new(location.SourceTree!.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
