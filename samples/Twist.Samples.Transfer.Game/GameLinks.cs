namespace Twist.Samples.Transfer.Game;

/// <summary>The participant links GAME1 hands out, i.e. how the coordinator calls its Confirm and Cancel.</summary>
public enum GameLinks
{
    /// <summary><c>http://</c> links: Confirm and Cancel are REST calls (<c>PUT</c>/<c>DELETE {tid}</c>).</summary>
    Http,

    /// <summary>
    /// <c>grpc://</c> links: Confirm and Cancel go through the <c>twist.v1.Participant</c> gRPC service, on the same
    /// port in cleartext HTTP/2.
    /// </summary>
    Grpc,
}
