// DualGNN's user–user co-occurrence graph: the ranked lists against a dense brute force, the cap and tie rule, and
// the per-epoch k-sample (padding from the growing list, softmax weights with repeats, users without neighbours).
using MultiRec.Data;
using MultiRec.Models.Graph;

namespace MultiRec.Tests.Models.Graph;

public class UserCooccurrenceGraphTests
{
    // users 0:{0,1}  1:{0,1,2}  2:{2}  3:{5}  4:{0, 0 (repeated row)}
    private static UserItemCsr Small() => UserItemCsr.FromPairs(5, 6, [0, 0, 1, 1, 1, 2, 3, 4, 4], [0, 1, 0, 1, 2, 2, 5, 0, 0]);

    [Fact]
    public void RanksNeighboursBySharedDistinctItems_TiesToTheSmallerId()
    {
        var graph = UserCooccurrenceGraph.Build(Small());
        Assert.Equal([1, 4], graph.NeighboursOf(0).ToArray());
        Assert.Equal([2f, 1f], graph.CountsOf(0).ToArray());
        Assert.Equal([0, 2, 4], graph.NeighboursOf(1).ToArray());      // counts 2, 1, 1: the tie goes to user 2 first
        Assert.Equal([2f, 1f, 1f], graph.CountsOf(1).ToArray());
        Assert.Equal([1], graph.NeighboursOf(2).ToArray());
        Assert.Empty(graph.NeighboursOf(3).ToArray());
        Assert.Equal([0, 1], graph.NeighboursOf(4).ToArray());         // the repeated row counts once
        Assert.Equal([1f, 1f], graph.CountsOf(4).ToArray());
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 200)]
    [InlineData(3, 4)]
    public void MatchesADenseBruteForce(int seed, int cap)
    {
        var random = new Random(seed);
        const int Users = 40, Items = 25;
        var pairUsers = new List<int>();
        var pairItems = new List<int>();
        for (var u = 0; u < Users; u++)
        {
            for (var n = random.Next(0, 6); n > 0; n--)
            {
                pairUsers.Add(u);
                pairItems.Add(random.Next(Items));                     // repeats possible
            }
        }

        var train = UserItemCsr.FromPairs(Users, Items, pairUsers.ToArray(), pairItems.ToArray());
        var sets = Enumerable.Range(0, Users).Select(u => train.ItemsOf(u).ToArray().ToHashSet()).ToArray();
        var graph = UserCooccurrenceGraph.Build(train, cap);
        for (var a = 0; a < Users; a++)
        {
            var expected = Enumerable.Range(0, Users).Where(b => b != a)
                .Select(b => (b, c: sets[a].Intersect(sets[b]).Count())).Where(x => x.c > 0)
                .OrderByDescending(x => x.c).ThenBy(x => x.b).Take(cap).ToArray();
            Assert.Equal(expected.Select(x => x.b).ToArray(), graph.NeighboursOf(a).ToArray());
            Assert.Equal(expected.Select(x => (float)x.c).ToArray(), graph.CountsOf(a).ToArray());
        }
    }

    [Fact]
    public void Sample_PadsFromTheGrowingList_SoftmaxOverRepeats_SumsRepeatedColumns()
    {
        var graph = UserCooccurrenceGraph.Build(Small());
        var picks = new Queue<(int Length, int Pick)>([(2, 1), (1, 0), (2, 0), (2, 1)]);
        var s = graph.Sample(3, length =>
        {
            var (expectedLength, pick) = picks.Dequeue();
            Assert.Equal(expectedLength, length);
            return pick;
        });
        Assert.Empty(picks);

        // user 0: [1, 4] + pick 1 -> [1, 4, 4], counts [2, 1, 1]
        var e = Math.E;
        AssertRow(s, 0, [(1, e / (e + 2)), (4, 2 / (e + 2))]);
        // user 1: three neighbours, no padding: [0, 2, 4], counts [2, 1, 1]
        AssertRow(s, 1, [(0, e / (e + 2)), (2, 1 / (e + 2)), (4, 1 / (e + 2))]);
        // user 2: [1] + pick 0 (length 1) + pick 0 (length 2) -> [1, 1, 1]: one column of weight 1
        AssertRow(s, 2, [(1, 1.0)]);
        // user 3: no neighbours: an empty row (the reference's zero weights)
        AssertRow(s, 3, []);
        // user 4: [0, 1] + pick 1 -> [0, 1, 1], counts [1, 1, 1]
        AssertRow(s, 4, [(0, 1 / 3.0), (1, 2 / 3.0)]);
    }

    [Fact]
    public void Sample_UsersWithAtLeastKNeighboursKeepTheirFirstK_WithoutDrawing()
    {
        var graph = UserCooccurrenceGraph.FromLists([([1, 2, 3], [3f, 2f, 1f]), ([2, 0], [3f, 1f]), ([0, 1], [2f, 1f]), ([], [])]);
        var s = graph.Sample(2, _ => throw new InvalidOperationException("no padding expected"));
        var e = Math.E;
        AssertRow(s, 0, [(1, e / (e + 1)), (2, 1 / (e + 1))]);
        AssertRow(s, 1, [(0, 1 / ((e * e) + 1)), (2, e * e / ((e * e) + 1))]);
        AssertRow(s, 3, []);
        Assert.Throws<InvalidOperationException>(() => graph.Sample(3, length => length)); // a pick outside the list
    }

    [Fact]
    public void Sample_ASeedGivesTheSameGraphTwice()
    {
        var graph = UserCooccurrenceGraph.Build(Small());
        var a = graph.Sample(5, 7UL);
        var b = graph.Sample(5, 7UL);
        Assert.Equal(a.ColIdx, b.ColIdx);
        Assert.Equal(a.Values, b.Values);
        for (var r = 0; r < a.Rows; r++)
        {
            var sum = a.Values.AsSpan(a.RowPtr[r], a.RowPtr[r + 1] - a.RowPtr[r]).ToArray().Sum();
            Assert.Equal(graph.NeighboursOf(r).Length == 0 ? 0f : 1f, sum, 1e-6f);
        }
    }

    private static void AssertRow(MultiRec.Engine.CsrMatrix s, int row, (int Col, double Value)[] expected)
    {
        var start = s.RowPtr[row];
        var count = s.RowPtr[row + 1] - start;
        Assert.Equal(expected.Select(x => x.Col).ToArray(), s.ColIdx.AsSpan(start, count).ToArray());
        for (var j = 0; j < count; j++)
        {
            Assert.Equal(expected[j].Value, s.Values[start + j], 1e-6);
        }
    }
}
