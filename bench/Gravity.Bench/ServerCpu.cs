using System.Globalization;

namespace Gravity.Bench;

/// <summary>
/// The CPU time a PostgreSQL server on this machine has used so far, read from /proc: every live postgres process plus
/// what the postmaster has collected from backends that exited. With the server on the same two cores, its CPU per
/// event decides throughput as much as the bench process's own; elsewhere (another host, not Linux) it is unknown.
/// </summary>
internal static class ServerCpu
{
    // USER_HZ: the unit of the times in /proc/<pid>/stat, 100 on Linux on every common architecture.
    private const double TicksPerSecond = 100;

    public static TimeSpan? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        long ticks = 0;
        var found = false;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!int.TryParse(Path.GetFileName(dir), out _) || File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "postgres")
                {
                    continue;
                }

                // Fields after the parenthesised command name: state (3), ppid (4) ... utime (14), stime (15), cutime (16), cstime (17).
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (!IsPostgres(parent))
                {
                    ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }

                found = true;
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return found ? TimeSpan.FromSeconds(ticks / TicksPerSecond) : null;
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
