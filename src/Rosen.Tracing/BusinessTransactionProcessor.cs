using System.Diagnostics;
using OpenTelemetry;

namespace Rosen.Tracing;

/// <summary>
/// Stamps every span started inside a business transaction with its id, taken from the span itself, its parent or
/// the propagated baggage, so one transaction can be found across services, retries hours later and read-model
/// updates, even when those sit in different traces.
/// </summary>
internal sealed class BusinessTransactionProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        Stamp(data, RosenTelemetry.TransactionIdKey);
        Stamp(data, RosenTelemetry.EventIdKey);
    }

    private static void Stamp(Activity activity, string key)
    {
        if (activity.GetTagItem(key) is not null)
        {
            return;
        }

        var value = activity.Parent?.GetTagItem(key) as string ?? activity.GetBaggageItem(key) ?? Baggage.GetBaggage(key);
        if (value is not null)
        {
            activity.SetTag(key, value);
        }
    }
}
