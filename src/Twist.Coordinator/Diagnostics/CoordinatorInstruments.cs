using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Twist.Coordinator.Diagnostics;

/// <summary>The coordinator's ActivitySource and metric instruments (names follow OpenTelemetry conventions: units, seconds for durations).</summary>
internal sealed class CoordinatorInstruments : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(TwistCoordinatorTelemetry.Name, typeof(CoordinatorInstruments).Assembly.GetName().Version?.ToString());

    private readonly Meter meter;

    public CoordinatorInstruments(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(new MeterOptions(TwistCoordinatorTelemetry.Name) { Version = typeof(CoordinatorInstruments).Assembly.GetName().Version?.ToString() });
        Begun = meter.CreateCounter<long>("twist.coordinator.transactions.begun", "{transaction}", "Transactions begun.");
        Decided = meter.CreateCounter<long>("twist.coordinator.transactions.decided", "{transaction}", "Decisions made, by decision and reason.");
        Completed = meter.CreateCounter<long>("twist.coordinator.transactions.completed", "{transaction}", "Transactions finished, by outcome.");
        TransactionDuration = meter.CreateHistogram<double>("twist.coordinator.transaction.duration", "s", "Time from begin to the last participant's acknowledgement.");
        CallDuration = meter.CreateHistogram<double>("twist.coordinator.participant.call.duration", "s", "Duration of one Confirm/Cancel call to a participant.");
        Retries = meter.CreateCounter<long>("twist.coordinator.participant.retries", "{retry}", "Confirm/Cancel deliveries retried after a transient failure.");
        Parked = meter.CreateCounter<long>("twist.coordinator.participants.parked", "{participant}", "Participants that exhausted their retry budget and wait for an operator.");
        Heuristic = meter.CreateCounter<long>("twist.coordinator.participants.heuristic", "{participant}", "Participants that answered they can no longer apply the decision.");
        LeaseRenewals = meter.CreateCounter<long>("twist.coordinator.lease.renewals", "{renewal}", "Instance lease acquisitions and renewals (stores shared by several instances).");
        Takeovers = meter.CreateCounter<long>("twist.coordinator.lease.takeovers", "{transaction}", "Decided transactions this instance took over from an instance whose lease lapsed, or for an operator.");
        Fenced = meter.CreateCounter<long>("twist.coordinator.lease.fenced", "{transaction}", "Drives stopped because another instance took the transaction over or this instance's lease lapsed.");
        Recovered = meter.CreateCounter<long>("twist.coordinator.transactions.recovered", "{transaction}", "Transactions finished by a drive that recovery or a takeover started (its rate is the recovery throughput).");
        InFlight = meter.CreateUpDownCounter<long>("twist.coordinator.transactions.driving", "{transaction}", "Decided transactions whose deliveries are in progress in this instance.");
    }

    public Counter<long> Begun { get; }

    public Counter<long> Decided { get; }

    public Counter<long> Completed { get; }

    public Histogram<double> TransactionDuration { get; }

    public Histogram<double> CallDuration { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Parked { get; }

    public Counter<long> Heuristic { get; }

    public UpDownCounter<long> InFlight { get; }

    public Counter<long> LeaseRenewals { get; }

    public Counter<long> Takeovers { get; }

    public Counter<long> Fenced { get; }

    public Counter<long> Recovered { get; }

    public void Dispose() => meter.Dispose();
}
