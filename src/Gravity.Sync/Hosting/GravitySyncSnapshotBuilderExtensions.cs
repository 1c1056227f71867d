using Gravity.Sync.Hosting;
using Gravity.Sync.Snapshots;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers snapshot sources new databases can be filled from.</summary>
public static class GravitySyncSnapshotBuilderExtensions
{
    /// <summary>
    /// Adds a snapshot source (for example a query against the write model) that <c>SnapshotFrom</c> and the operator
    /// reset can name. Databases the synchronizer writes need no registration: they are snapshot sources by name.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="source">The source; its name must differ from every database name and every other source.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="source"/> is null.</exception>
    public static IGravitySyncBuilder AddSnapshotSource(this IGravitySyncBuilder builder, IGravitySnapshotSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.Services.AddSingleton(source);
        return builder;
    }

    /// <summary>Adds a snapshot source created from the app's services (for example one that needs the event log's head).</summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is null.</exception>
    public static IGravitySyncBuilder AddSnapshotSource(this IGravitySyncBuilder builder, Func<IServiceProvider, IGravitySnapshotSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(factory);
        return builder;
    }
}
