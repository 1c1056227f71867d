using System.Globalization;

namespace Rosen.Manager.Topology;

/// <summary>A service on the topology map, placed for drawing.</summary>
public sealed record TopologyNode(
    string Name,
    InstanceKind Kind,
    InstanceHealth Health,
    IReadOnlyList<InstanceState> Instances,
    int SpanCount,
    int ErrorCount,
    DateTimeOffset? LastSeen)
{
    public double X { get; set; }

    public double Y { get; set; }
}

/// <summary>A dependency on the topology map with its drawn path.</summary>
public sealed record TopologyEdge(string From, string To, bool Messaging, int Count, int ErrorCount)
{
    public string Path { get; set; } = string.Empty;

    public double LabelX { get; set; }

    public double LabelY { get; set; }
}

/// <summary>The services, their dependencies and a left-to-right layered layout (callers left of callees).</summary>
public sealed class TopologyGraph
{
    public const double NodeWidth = 210;
    public const double NodeHeight = 66;
    private const double ColumnGap = 120;
    private const double RowGap = 30;
    private const double Padding = 24;

    public TopologyGraph(IReadOnlyList<TopologyNode> nodes, IReadOnlyList<TopologyEdge> edges)
    {
        Nodes = nodes;
        Edges = edges;
        Layout();
    }

    public IReadOnlyList<TopologyNode> Nodes { get; }

    public IReadOnlyList<TopologyEdge> Edges { get; }

    public double Width { get; private set; }

    public double Height { get; private set; }

    public static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private void Layout()
    {
        // Rank = longest path from a node nobody calls; bounded passes keep cycles from looping forever.
        var rank = Nodes.ToDictionary(n => n.Name, _ => 0, StringComparer.Ordinal);
        for (var pass = 0; pass < Nodes.Count; pass++)
        {
            var changed = false;
            foreach (var edge in Edges)
            {
                if (rank.TryGetValue(edge.From, out var from) && rank.TryGetValue(edge.To, out var to) && to < from + 1 && from + 1 < Nodes.Count)
                {
                    rank[edge.To] = from + 1;
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }
        }

        var columns = Nodes.GroupBy(n => rank[n.Name]).OrderBy(g => g.Key).ToList();
        var tallest = columns.Count == 0 ? 0 : columns.Max(c => c.Count());
        for (var c = 0; c < columns.Count; c++)
        {
            var column = columns[c].OrderBy(n => n.Kind).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
            var offset = (tallest - column.Count) * (NodeHeight + RowGap) / 2;
            for (var r = 0; r < column.Count; r++)
            {
                column[r].X = Padding + c * (NodeWidth + ColumnGap);
                column[r].Y = Padding + offset + r * (NodeHeight + RowGap);
            }
        }

        Width = Math.Max(NodeWidth + 2 * Padding, Padding * 2 + columns.Count * (NodeWidth + ColumnGap) - ColumnGap);
        Height = Math.Max(NodeHeight + 2 * Padding, Padding * 2 + tallest * (NodeHeight + RowGap) - RowGap);

        var byName = Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var edge in Edges)
        {
            if (!byName.TryGetValue(edge.From, out var a) || !byName.TryGetValue(edge.To, out var b))
            {
                continue;
            }

            double x1 = a.X + NodeWidth, y1 = a.Y + NodeHeight / 2, x2 = b.X, y2 = b.Y + NodeHeight / 2;
            if (x2 > x1)
            {
                var bend = (x2 - x1) / 2;
                edge.Path = $"M{Format(x1)},{Format(y1)} C{Format(x1 + bend)},{Format(y1)} {Format(x2 - bend)},{Format(y2)} {Format(x2 - 6)},{Format(y2)}";
                // Beside the arrowhead: crossing edges meet in the middle, their ends do not.
                edge.LabelX = x2 - 34;
                edge.LabelY = y2 - 9;
            }
            else
            {
                // Backward or same-column edges loop below the nodes.
                var below = Math.Max(a.Y, b.Y) + NodeHeight + RowGap * 0.8;
                edge.Path = $"M{Format(a.X + NodeWidth / 2)},{Format(a.Y + NodeHeight)} C{Format(a.X + NodeWidth / 2)},{Format(below)} {Format(b.X + NodeWidth / 2)},{Format(below)} {Format(b.X + NodeWidth / 2)},{Format(b.Y + NodeHeight + 6)}";
                edge.LabelX = (a.X + b.X + NodeWidth) / 2;
                edge.LabelY = below - 4;
                Height = Math.Max(Height, below + Padding);
            }
        }
    }
}
