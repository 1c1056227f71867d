namespace Twist.Coordinator.IntegrationTests.Infrastructure;

/// <summary>Polls a condition until it holds or a generous deadline passes; the deadline bounds the test, it does not time anything.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        T value;
        while (true)
        {
            value = await read();
            if (condition(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(25);
        }
    }
}
