using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// Owns the NATS connections: the main one from <see cref="GravityNatsOptions"/>, shared by the source, the publisher
/// and exporters on the same server, and one per other server an exporter names.
/// </summary>
internal sealed class NatsConnections(IOptions<GravityNatsOptions> options, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Url, string? Username, string? Password, string? Token), Lazy<NatsConnection>> _connections = new();

    public NatsConnection Main
    {
        get
        {
            var o = options.Value;
            return Get(o.Url, o.Username, o.Password, o.Token);
        }
    }

    public NatsConnection Get(string url, string? username, string? password, string? token) =>
        _connections.GetOrAdd((url, username, password, token), key => new Lazy<NatsConnection>(() => Create(key.Url, key.Username, key.Password, key.Token))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values.Where(c => c.IsValueCreated))
        {
            await connection.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    private NatsConnection Create(string url, string? username, string? password, string? token)
    {
        var o = options.Value;
        var opts = NatsOpts.Default with
        {
            Url = url,
            Name = "gravity-sync",
            ConnectTimeout = o.ConnectTimeout,
            LoggerFactory = loggerFactory,
            AuthOpts = NatsAuthOpts.Default with { Username = username, Password = password, Token = token },

            // While disconnected, fail a publish (the caller sees the error and retries) rather than buffer it in
            // the client, where it would be lost without a trace if the process stopped.
            PublishTimeoutOnDisconnected = true,
        };
        return new NatsConnection(o.ConfigureConnection?.Invoke(opts) ?? opts);
    }
}
