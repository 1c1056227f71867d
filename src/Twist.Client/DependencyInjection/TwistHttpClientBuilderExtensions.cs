using Microsoft.Extensions.Logging;
using Twist.Client;
using Twist.Client.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Twist transaction propagation to named and typed HttpClients.</summary>
public static class TwistHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="TwistTransactionHandler"/> to the client: requests made while a <see cref="TwistTransaction"/>
    /// is current carry its id and deadline, and Try answers register their participant links with it.
    /// </summary>
    /// <param name="builder">The HttpClient builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddTwistTransactionPropagation(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHttpMessageHandler(sp => new TwistTransactionHandler(sp.GetService<ILogger<TwistTransactionHandler>>()));
    }
}
