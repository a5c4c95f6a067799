// Tests of the reference per-user split rule and its seeded assignment.
using MultiRec.Data;

namespace MultiRec.Tests.Data;

public class PerUserSplitTests
{
    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(1, 1, 0, 0)]
    [InlineData(2, 2, 0, 0)]
    [InlineData(3, 1, 1, 1)]
    [InlineData(9, 7, 1, 1)]
    [InlineData(10, 8, 1, 1)]
    [InlineData(14, 12, 1, 1)]
    [InlineData(15, 12, 1, 2)]
    [InlineData(20, 16, 2, 2)]
    [InlineData(57, 46, 5, 6)]
    public void Sizes_FollowTheReferenceRule(int n, int train, int valid, int test)
    {
        Assert.Equal((train, valid, test), PerUserSplit.Sizes(n));
    }

    [Fact]
    public void Assign_GivesEachUserTheRuleSizesAndIsSeeded()
    {
        var random = new Random(5);
        var users = Enumerable.Range(0, 3000).Select(_ => random.Next(120)).ToArray();

        var labels = PerUserSplit.Assign(users, 125, seed: 42);

        for (var u = 0; u < 125; u++)
        {
            var mine = Enumerable.Range(0, users.Length).Where(n => users[n] == u).Select(n => labels[n]).ToArray();
            var expected = PerUserSplit.Sizes(mine.Length);
            Assert.Equal(expected, (mine.Count(l => l == 0), mine.Count(l => l == 1), mine.Count(l => l == 2)));
        }

        Assert.Equal(labels, PerUserSplit.Assign(users, 125, seed: 42));
        Assert.NotEqual(labels, PerUserSplit.Assign(users, 125, seed: 43));
    }

    [Fact]
    public void Assign_ShufflesWithinUsers()
    {
        var users = Enumerable.Repeat(0, 50).ToArray();
        var heldOutPositions = new HashSet<int>();
        for (var seed = 0; seed < 20; seed++)
        {
            var labels = PerUserSplit.Assign(users, 1, seed);
            for (var n = 0; n < labels.Length; n++)
            {
                if (labels[n] != 0)
                {
                    heldOutPositions.Add(n);
                }
            }
        }

        Assert.True(heldOutPositions.Count > 30, $"held-out rows hit only {heldOutPositions.Count} of 50 positions over 20 seeds");
    }

    [Fact]
    public void Assign_RejectsUsersOutsideTheRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PerUserSplit.Assign([0, 3], 3, 1));
    }
}
