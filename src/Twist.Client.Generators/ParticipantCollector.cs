using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Shared.Generators;
using Twist.Client.Generators.Model;

namespace Twist.Client.Generators;

/// <summary>Combines the per-class results: compilation-wide checks (duplicate names) and a deterministic order.</summary>
internal static class ParticipantCollector
{
    public static GenerationModel Collect(ImmutableArray<ParticipantParseResult> results, CancellationToken cancellationToken)
    {
        if (results.IsDefaultOrEmpty)
        {
            return new(false, EquatableArray<ParticipantModel>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        }

        var diagnostics = new List<DiagnosticInfo>();
        foreach (ParticipantParseResult result in results)
        {
            diagnostics.AddRange(result.Diagnostics);
        }

        // Names are compared ignoring case: they are route segments, and routes match case-insensitively.
        var duplicated = new HashSet<int>();
        IEnumerable<IGrouping<string, int>> groups = Enumerable.Range(0, results.Length)
            .Where(i => results[i].Name is not null)
            .GroupBy(i => results[i].Name!, StringComparer.OrdinalIgnoreCase)
            .Where(static g => g.Count() > 1);
        foreach (IGrouping<string, int> group in groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<int> members = [.. group.OrderBy(i => results[i].TypeDisplay, StringComparer.Ordinal)];
            for (int m = 0; m < members.Count; m++)
            {
                ParticipantParseResult result = results[members[m]];
                ParticipantParseResult other = results[members[m == 0 ? 1 : 0]];
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.DuplicateParticipantName, result.NameLocation, result.Name!, result.TypeDisplay, other.TypeDisplay));
                duplicated.Add(members[m]);
            }
        }

        IEnumerable<ParticipantModel> participants = Enumerable.Range(0, results.Length)
            .Where(i => results[i].Participant is not null && !duplicated.Contains(i))
            .Select(i => results[i].Participant!)
            .OrderBy(static p => p.Name, StringComparer.Ordinal)
            .ThenBy(static p => p.TypeName, StringComparer.Ordinal);

        return new(true, new EquatableArray<ParticipantModel>(participants), new EquatableArray<DiagnosticInfo>(diagnostics));
    }
}
