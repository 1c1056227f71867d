namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>Polls until a condition holds or a generous deadline passes; the deadline bounds the test, it times nothing.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(25);
        }

        return true;
    }

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan? within = null) => TrueAsync(() => Task.FromResult(condition()), within);
}
