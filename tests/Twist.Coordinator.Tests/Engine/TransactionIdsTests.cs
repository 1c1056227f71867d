using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Tests.Engine;

public sealed class TransactionIdsTests
{
    [Fact]
    public async Task New_ids_are_well_formed_unique_and_sort_after_older_ones()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => TransactionIds.New()).ToArray();
        await Task.Delay(5, TestContext.Current.CancellationToken);
        var later = TransactionIds.New();

        Assert.All(ids, id => Assert.True(TransactionIds.IsWellFormed(id)));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(string.CompareOrdinal(id, later) < 0, $"{id} should sort before {later}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../x")]
    [InlineData("a b")]
    [InlineData("tid%00")]
    [InlineData("ünïcode")]
    public void Malformed_ids_are_refused(string id) => Assert.False(TransactionIds.IsWellFormed(id));

    [Fact]
    public void Ids_longer_than_64_characters_are_refused() => Assert.False(TransactionIds.IsWellFormed(new string('a', 65)));
}
