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

    /// <summary>
    /// Adds rule declarations made in code to the rules of the files named in the options; both are validated and
    /// resolved into one <see cref="GravityRuleSet"/> at start-up. The <c>AddGeneratedProjections()</c> method the
    /// source generator writes for <see cref="ProjectionAttribute"/> event types calls this.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="declarations">The declarations.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Adding the same list instance again does nothing, so calling <c>AddGeneratedProjections()</c> twice is safe. An
    /// event projected into the same table and database by two declarations (say, rules.json and a <c>[Projection]</c>)
    /// fails the start naming both. Cannot be combined with <see cref="UseRules"/>, which gives the complete set.
    /// </remarks>
    public static IGravitySyncBuilder AddRuleDeclarations(this IGravitySyncBuilder builder, IReadOnlyList<RuleDeclaration> declarations)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(declarations);
        if (!builder.Services.Any(d => d.ImplementationInstance is RuleDeclarationRegistration r && ReferenceEquals(r.Declarations, declarations)))
        {
            builder.Services.AddSingleton(new RuleDeclarationRegistration(declarations));
        }

        return builder;
    }

    /// <summary>Declares a database in code, so rules can name it without a databases.json entry.</summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="definition">The database: name, type and connection settings.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// A databases.json entry of the same name fails the start. <see cref="GravitySyncOptions.Databases"/> still
    /// overrides the connection string, password and partitions of a database declared here.
    /// </remarks>
    public static IGravitySyncBuilder AddDatabaseDefinition(this IGravitySyncBuilder builder, DatabaseDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrEmpty(definition.Name);
        ArgumentException.ThrowIfNullOrEmpty(definition.Type);
        builder.Services.AddSingleton(new DatabaseDeclaration(definition));
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

    /// <summary>
    /// Reads events from a source whose order holds only per partition (a Kafka topic) instead of the embedded log:
    /// each partition is read, checkpointed and acknowledged on its own.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder.</returns>
    /// <remarks>When several are registered, the last one is read.</remarks>
    public static IGravitySyncBuilder UsePartitionedEventSource(this IGravitySyncBuilder builder, Func<IServiceProvider, IPartitionedEventSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>
    /// Reads events from a partitioned source that several synchronizer instances share (a Kafka consumer group,
    /// partitions claimed through leases): the source assigns partitions to this instance at run time, and each one is
    /// read, checkpointed and acknowledged on its own while assigned. Takes precedence over the other sources.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder UseSharedPartitionSource(this IGravitySyncBuilder builder, Func<IServiceProvider, IDynamicPartitionSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Declares an exporter in code, so rules can name it without an exporter.json entry.</summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="definition">The exporter's name and type (and settings, if any).</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// An exporter.json entry of the same name keeps its settings and must have the same type (start-up fails
    /// otherwise). With rules given in code (<see cref="UseRules"/>), rules that name the exporter must be built with it.
    /// </remarks>
    public static IGravitySyncBuilder AddExporterDefinition(this IGravitySyncBuilder builder, ExporterDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrEmpty(definition.Name);
        ArgumentException.ThrowIfNullOrEmpty(definition.Type);
        builder.Services.AddSingleton(new ExporterDeclaration(definition));
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
    /// to the <see cref="IGravityEventPublisher"/>, in commit order: the embedded event log by default, or the
    /// JetStream stream / Kafka topic when <c>AddNatsJetStreamSource</c> / <c>AddKafkaSource</c> (or their publishers) are registered.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="connectionString">The application database's connection string.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder AddSqliteOutboxRelay(this IGravitySyncBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.Services.AddSingleton<IHostedService>(sp => new OutboxRelayWorker(
            new SqliteOutboxRelay(connectionString, sp.GetRequiredService<IGravityEventPublisher>()),
            sp.GetRequiredService<IOptions<GravitySyncOptions>>().Value.OutboxPollInterval,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OutboxRelayWorker>>()));
        return builder;
    }
}
