using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rosen.Manager.Diagnostics;

/// <summary>The manager's own ActivitySource and Meter (<c>Rosen.Manager</c>).</summary>
public sealed class ManagerTelemetry
{
    public const string Name = "Rosen.Manager";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(ManagerTelemetry).Assembly.GetName().Version?.ToString());

    public ManagerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name, typeof(ManagerTelemetry).Assembly.GetName().Version?.ToString());
        OperatorActions = meter.CreateCounter<long>("rosen.manager.operator.actions", "{action}", "Operator actions, by action and outcome.");
        Logins = meter.CreateCounter<long>("rosen.manager.logins", "{login}", "Login attempts, by outcome.");
        Probes = meter.CreateHistogram<double>("rosen.manager.health.probe.duration", "s", "Health probe duration, by outcome.");
    }

    public Counter<long> OperatorActions { get; }

    public Counter<long> Logins { get; }

    public Histogram<double> Probes { get; }
}
