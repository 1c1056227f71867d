using System.Globalization;
using Twist.Participants.Guard;

namespace Twist.Participants;

/// <content>The sweeper's queries: expired reservations to cancel, finished rows past retention to delete.</content>
public sealed partial class TccGuard
{
    /// <summary>Lists reservations of the given participants that are still open after their expiry, oldest first.</summary>
    internal async Task<IReadOnlyList<(string Participant, string Tid)>> ListExpiredAsync(
        IReadOnlyList<string> participants, int limit, CancellationToken cancellationToken)
    {
        if (participants.Count == 0)
        {
            return [];
        }

        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Only participants this process can cancel: rows of a participant removed from the code would otherwise fill
            // every batch and starve the others. The IN list holds parameter names only, never values.
            var names = string.Join(", ", participants.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)));
            await using var command = GuardSql.Command(connection, null, GuardSql.SelectExpired.Replace("{names}", names, StringComparison.Ordinal))
                .With("@now", NowMs()).With("@n", (long)limit);
            for (var i = 0; i < participants.Count; i++)
            {
                command.With("@p" + i.ToString(CultureInfo.InvariantCulture), participants[i]);
            }

            var expired = new List<(string, string)>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    expired.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            return expired;
        }
    }

    /// <summary>Deletes at most <paramref name="limit"/> confirmed or cancelled rows last changed before <paramref name="cutoff"/>.</summary>
    internal async Task<int> DeleteFinishedAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = GuardSql.Command(connection, null, GuardSql.DeleteFinished)
                .With("@cutoff", cutoff.ToUnixTimeMilliseconds()).With("@n", (long)limit);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
