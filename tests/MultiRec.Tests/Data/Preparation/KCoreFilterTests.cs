// Iterative k-core: removals cascade until every remaining user and item has at least k rows.
using MultiRec.Data.Preparation;

namespace MultiRec.Tests.Data.Preparation;

public class KCoreFilterTests
{
    [Fact]
    public void Removal_cascades_until_stable()
    {
        // Users 0,1 share items 0,1; user 0 also has item 2, which user 2 shares with item 3 (seen once).
        // 2-core: item 3 goes, then user 2 (one row left), then item 2 (one row left): 4 rows remain.
        int[] users = [0, 0, 0, 1, 1, 2, 2, 3];
        int[] items = [0, 1, 2, 0, 1, 2, 3, 4];

        var keep = KCoreFilter.Keep(users, items, 4, 5, k: 2);

        Assert.Equal([true, true, false, true, true, false, false, false], keep);
    }

    [Fact]
    public void Every_survivor_meets_k_on_a_random_graph()
    {
        var random = new Random(7);
        var users = Enumerable.Range(0, 3000).Select(_ => random.Next(300)).ToArray();
        var items = Enumerable.Range(0, 3000).Select(_ => (int)Math.Sqrt(random.Next(200 * 200))).ToArray();

        var keep = KCoreFilter.Keep(users, items, 300, 200, k: 5);

        var kept = Enumerable.Range(0, users.Length).Where(n => keep[n]).ToArray();
        Assert.NotEmpty(kept);
        Assert.True(kept.Length < users.Length);
        Assert.All(kept.GroupBy(n => users[n]), group => Assert.True(group.Count() >= 5));
        Assert.All(kept.GroupBy(n => items[n]), group => Assert.True(group.Count() >= 5));
    }

    [Fact]
    public void K_of_one_keeps_everything()
    {
        Assert.All(KCoreFilter.Keep([0, 1], [0, 0], 2, 1, k: 1), Assert.True);
    }
}
