namespace Twist.Participants.Endpoints;

/// <summary>
/// When a reservation made by a Try expires: the participant link's <c>expires</c>. A reservation must outlive the
/// transaction it belongs to, or a confirm decided just before the caller's deadline finds the link expired and turns
/// into a cancel; so it lasts <see cref="TwistParticipantOptions.ReservationLifetime"/> past the caller's
/// <c>Twist-Deadline</c> (or past the Try without one), capped by
/// <see cref="TwistParticipantOptions.MaxReservationLifetime"/> so a far-off deadline cannot pin resources.
/// </summary>
internal static class ReservationExpiry
{
    /// <summary>Computes the expiry, truncated to milliseconds as stored (a duplicate Try then answers the same expiry).</summary>
    public static DateTimeOffset Compute(DateTimeOffset now, DateTimeOffset? deadline, TimeSpan lifetime, TimeSpan maxLifetime)
    {
        var expires = now + lifetime;
        if (deadline is { } d && d + lifetime > expires)
        {
            expires = d + lifetime;
        }

        var cap = now + maxLifetime;
        if (expires > cap)
        {
            expires = cap;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(expires.ToUnixTimeMilliseconds());
    }
}
