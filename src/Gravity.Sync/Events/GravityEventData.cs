using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gravity.Sync.Events;

/// <summary>An event to publish: what a publisher hands to the event log or the outbox. The source assigns the position.</summary>
public sealed class GravityEventData
{
    /// <summary>Gets the event id; appending the same id twice stores the event once.</summary>
    /// <value>The default value is a new time-ordered GUID.</value>
    public string Id { get; init; } = Guid.CreateVersion7().ToString("N");

    /// <summary>Gets the event name rules match on.</summary>
    public required string Name { get; init; }

    /// <summary>Gets an optional publisher key (e.g. the aggregate id).</summary>
    public string? Key { get; init; }

    /// <summary>Gets the UTF-8 JSON payload.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Gets when the event happened; <see langword="null"/> lets the log stamp it when it is appended.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> to carry.</summary>
    /// <value>The default value is the current activity's, so the synchronizer's spans link back to the publisher.</value>
    public string? TraceParent { get; init; } = Activity.Current?.Id is { } id && Activity.Current.IdFormat == ActivityIdFormat.W3C ? id : null;

    /// <summary>Gets the W3C <c>tracestate</c> to carry.</summary>
    /// <value>The default value is the current activity's.</value>
    public string? TraceState { get; init; } = Activity.Current?.TraceStateString;

    /// <summary>Creates an event from JSON text.</summary>
    /// <param name="name">The event name.</param>
    /// <param name="json">The payload, a JSON object.</param>
    /// <param name="key">An optional publisher key.</param>
    /// <returns>The event.</returns>
    public static GravityEventData FromJson(string name, string json, string? key = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(json);
        return new GravityEventData { Name = name, Payload = Encoding.UTF8.GetBytes(json), Key = key };
    }

    /// <summary>Creates an event by serializing a value with source-generated metadata (AOT-safe).</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="name">The event name.</param>
    /// <param name="value">The payload.</param>
    /// <param name="typeInfo">The payload's JSON metadata, from a <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>.</param>
    /// <param name="key">An optional publisher key.</param>
    /// <returns>The event.</returns>
    public static GravityEventData Create<T>(string name, T value, JsonTypeInfo<T> typeInfo, string? key = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new GravityEventData { Name = name, Payload = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), Key = key };
    }
}
