using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Gravity.Sync.Generators.Model;
using Shared.Generators;

namespace Gravity.Sync.Generators;

/// <summary>Combines the per-type results: compilation-wide checks (an event projected twice into a table) and a deterministic order.</summary>
internal static class ProjectionCollector
{
    public static GenerationModel Collect(ImmutableArray<ProjectionParseResult?> results, CancellationToken cancellationToken)
    {
        List<ProjectionParseResult> parsed = [.. results.Where(static r => r is not null).Select(static r => r!)];
        if (parsed.Count == 0)
        {
            return new(false, EquatableArray<EventTypeModel>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        }

        var diagnostics = new List<DiagnosticInfo>();
        foreach (ProjectionParseResult result in parsed)
        {
            diagnostics.AddRange(result.Diagnostics);
        }

        // Same event, same table, and databases that may coincide (both left to the attached/default ones, or one in common).
        List<ProjectionSite> sites = [.. parsed
            .SelectMany(static r => r.Sites)
            .OrderBy(static s => s.TypeDisplay, StringComparer.Ordinal)
            .ThenBy(static s => s.Location?.Span.Start ?? 0)];
        foreach (IGrouping<(string EventName, string Table), ProjectionSite> group in sites.GroupBy(static s => (s.EventName, s.Table)).Where(static g => g.Count() > 1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<ProjectionSite> members = [.. group];
            for (int later = 1; later < members.Count; later++)
            {
                for (int earlier = 0; earlier < later; earlier++)
                {
                    string? overlap = Overlap(members[earlier].Databases, members[later].Databases);
                    if (overlap is not null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.DuplicateProjection,
                            members[later].Location,
                            group.Key.EventName,
                            group.Key.Table,
                            members[earlier].TypeDisplay,
                            members[later].TypeDisplay,
                            overlap));
                        break;
                    }
                }
            }
        }

        IEnumerable<EventTypeModel> models = parsed
            .Where(static r => r.Model is not null)
            .Select(static r => r.Model!)
            .OrderBy(static m => m.TypeDisplay, StringComparer.Ordinal);
        return new(true, new EquatableArray<EventTypeModel>(models), new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static string? Overlap(EquatableArray<string> first, EquatableArray<string> second)
    {
        if (first.Count == 0 && second.Count == 0)
        {
            return string.Empty;
        }

        string? common = first.FirstOrDefault(d => second.Contains(d));
        return common is null ? null : $" in database '{common}'";
    }
}
