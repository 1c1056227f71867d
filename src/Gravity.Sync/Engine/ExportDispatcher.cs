using Gravity.Sync.Diagnostics;
using Gravity.Sync.Exporters;
using Gravity.Sync.Rules;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Engine;

/// <summary>
/// Hands applied events to their exporters after the commit. Best effort in this version: a failed publish is logged
/// and not retried (a durable export queue in the target database is tracked in issue 4).
/// </summary>
internal sealed class ExportDispatcher(GravityRuleSet rules, IEnumerable<IGravityExporter> exporters, ILogger logger)
{
    private readonly Dictionary<string, IGravityExporter> _byType = exporters.GroupBy(e => e.Type, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);

    public bool HasExporter(string type) => _byType.ContainsKey(type);

    public async Task ExportAsync(string database, string source, IEnumerable<MappedOp> applied, CancellationToken cancellationToken)
    {
        Dictionary<string, List<SyncedEvent>>? batches = null;
        foreach (var op in applied)
        {
            foreach (var name in op.Rule.Rule.Exporters)
            {
                batches ??= new Dictionary<string, List<SyncedEvent>>(StringComparer.Ordinal);
                if (!batches.TryGetValue(name, out var list))
                {
                    batches[name] = list = [];
                }

                list.Add(new SyncedEvent
                {
                    EventId = op.Event.Id,
                    EventName = op.Event.Name,
                    Database = database,
                    Table = op.Table,
                    Key = op.Key ?? "[]",
                    Position = op.Event.Position,
                    Source = source,
                    TraceParent = op.Event.TraceParent,
                    TraceState = op.Event.TraceState,
                });
            }
        }

        if (batches is null)
        {
            return;
        }

        foreach (var (name, events) in batches)
        {
            var definition = rules.Exporters[name];
            try
            {
                await _byType[definition.Type].ExportAsync(definition, events, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.ExportFailed(ex, name, events.Count, database);
            }
        }
    }
}
