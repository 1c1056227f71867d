namespace Twist.Client;

/// <summary>Lists the ways a caller reaches its coordinator.</summary>
public enum TwistCoordinatorKind
{
    /// <summary>
    /// The coordinator runs inside this process: the <see cref="ITwistCoordinator"/> registered by
    /// <c>AddTwistCoordinator</c> is used directly, with no network hop.
    /// </summary>
    Embedded = 0,

    /// <summary>A hosted coordinator reached over gRPC (service <c>twist.v1.Coordinator</c>).</summary>
    Grpc = 1,

    /// <summary>A hosted coordinator reached over its REST API (<c>/api/v1/transactions</c>).</summary>
    Rest = 2,
}
