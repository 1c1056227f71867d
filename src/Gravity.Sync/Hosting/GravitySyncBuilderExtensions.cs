using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Hosting.Workers;
using Gravity.Sync.Outbox;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Gravity.Sync.Targets.Sql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chains features onto <see cref="IGravitySyncBuilder"/>.</summary>
public static class GravitySyncBuilderExtensions
{
    /// <summary>Uses rules built in code instead of the files named in the options.</summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="rules">The rule set.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder UseRules(this IGravitySyncBuilder builder, GravityRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rules);
        builder.Services.AddSingleton(new RuleSetRegistration(rules));
        return builder;
    }

    /// <summary>Reads events from another source instead of the embedded log (the log stays available for publishers).</summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder UseEventSource(this IGravitySyncBuilder builder, Func<IServiceProvider, IEventSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }

    /// <summary>Adds a SQL database type through its dialect (how Gravity.Sync.PostgreSql and Gravity.Sync.MySql plug in).</summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Safe to call more than once; the last dialect registered for a database type wins.</remarks>
    public static IGravitySyncBuilder AddSqlDialect(this IGravitySyncBuilder builder, GravitySqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dialect);
        builder.Services.AddSingleton<ITargetWriterFactory>(sp => new SqlTargetWriterFactory(dialect, sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>Adds an exporter implementation for one exporter type.</summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="exporter">The exporter.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder AddExporter(this IGravitySyncBuilder builder, IGravityExporter exporter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(exporter);
        builder.Services.AddSingleton(exporter);
        return builder;
    }

    /// <summary>
    /// Relays the outbox of an application's SQLite database (written with <see cref="GravityOutbox.AppendAsync"/>)
    /// into the embedded event log, in commit order.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="connectionString">The application database's connection string.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder AddSqliteOutboxRelay(this IGravitySyncBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.Services.AddSingleton<IHostedService>(sp => new OutboxRelayWorker(
            new SqliteOutboxRelay(connectionString, sp.GetRequiredService<IGravityEventLog>()),
            sp.GetRequiredService<IOptions<GravitySyncOptions>>().Value.OutboxPollInterval,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OutboxRelayWorker>>()));
        return builder;
    }
}
