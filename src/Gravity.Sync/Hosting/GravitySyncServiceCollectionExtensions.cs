using Gravity.Sync.Diagnostics;
using Gravity.Sync.Engine;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Hosting;
using Gravity.Sync.Hosting.Workers;
using Gravity.Sync.Operations;
using Gravity.Sync.Targets;
using Gravity.Sync.Targets.Sql;
using Gravity.Sync.Targets.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Gravity synchronizer in an app.</summary>
public static class GravitySyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Gravity synchronizer as a generic-host worker, with the embedded SQLite event log as its source
    /// (<see cref="IGravityEventLog"/>), SQLite views, and the operator API (<see cref="IGravitySyncOperator"/>).
    /// Options are bound from the <c>Gravity:Sync</c> section of the app's <see cref="IConfiguration"/> when there is
    /// one (unknown keys are errors), then <paramref name="configure"/> runs; both are validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options in code, e.g. <c>o =&gt; o.RulesFiles.Add("rules.json")</c>.</param>
    /// <returns>A builder to add PostgreSQL/MySQL targets, rules in code or outbox relays.</returns>
    /// <remarks>Safe to call more than once: services are added once and each <paramref name="configure"/> is applied.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IGravitySyncBuilder AddGravitySync(this IServiceCollection services, Action<GravitySyncOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<GravitySyncOptions>();
        if (services.All(d => d.ServiceType != typeof(GravitySyncMarker)))
        {
            services.AddSingleton<GravitySyncMarker>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GravitySyncOptions>, BindFromConfiguration>());
            optionsBuilder.ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GravitySyncOptions>, GravitySyncOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);

            services.TryAddSingleton(sp =>
            {
                var o = sp.GetRequiredService<IOptions<GravitySyncOptions>>().Value;
                Directory.CreateDirectory(o.DataDirectory);
                return new SqliteEventLog(Path.Combine(o.DataDirectory, o.EventLogPath), sp.GetRequiredService<TimeProvider>());
            });
            services.TryAddSingleton<IGravityEventLog>(sp => sp.GetRequiredService<SqliteEventLog>());
            services.TryAddSingleton<IEventSource>(sp => sp.GetRequiredService<IGravityEventLog>());
            services.TryAddSingleton<IGravityEventPublisher>(sp => sp.GetRequiredService<SqliteEventLog>());
            services.TryAddSingleton<EventSourceSelection>();
            services.AddSingleton<ITargetWriterFactory>(sp => new SqlTargetWriterFactory(SqliteDialect.Instance, sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<SyncInstruments>();
            services.TryAddSingleton<RuleSetProvider>();
            services.TryAddSingleton<GravitySynchronizer>();
            services.TryAddSingleton<IGravitySyncOperator>(sp => sp.GetRequiredService<GravitySynchronizer>());
            services.AddHostedService<SynchronizerService>();
        }

        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        return new GravitySyncBuilder(services);
    }

    private sealed class GravitySyncMarker;

    /// <summary>Binds the <c>Gravity:Sync</c> section without reflection (configuration binding source generator).</summary>
    private sealed class BindFromConfiguration(IConfiguration? configuration = null) : IConfigureOptions<GravitySyncOptions>
    {
        public void Configure(GravitySyncOptions options)
        {
            var section = configuration?.GetSection(GravitySyncOptions.SectionName);
            if (section is not null && section.Exists())
            {
                section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            }
        }
    }
}
