// Checks that tile scoring reproduces the engine GEMM bit for bit, for every kernel and awkward shapes.
using MultiRec.Engine;
using MultiRec.Evaluation;

namespace MultiRec.Tests.Evaluation;

public class UserTileScorerTests
{
    public static TheoryData<string, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var kind in Enum.GetValues<GemmKernelKind>().Where(GemmMicroKernels.IsSupported).Select(k => k.ToString()))
        {
            data.Add(kind, 19, 1, 1);
            data.Add(kind, 37, 70, 64);
            data.Add(kind, 11, 1031, 63);
            data.Add(kind, 9, 300, 600); // several K slabs
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Scores_AreBitIdenticalToGemm(string kernel, int users, int items, int dims)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        var random = new Random(users + items + dims);
        var userEmbeddings = Random(users, dims, random);
        var itemEmbeddings = Random(items, dims, random);
        var expected = new Tensor(users, items);
        var saved = Gemm.Kernel;
        Gemm.Kernel = kind;
        try
        {
            Gemm.Multiply(userEmbeddings, false, itemEmbeddings, true, expected);
        }
        finally
        {
            Gemm.Kernel = saved;
        }

        var panels = new ItemPanels(itemEmbeddings, kind);
        foreach (var tileUsers in new[] { 1, 5, 8, 32 })
        {
            var scorer = new UserTileScorer(panels, tileUsers);
            var order = Enumerable.Range(0, users).Reverse().ToArray(); // any user order, any rows
            for (var first = 0; first < users; first += tileUsers)
            {
                var tile = order.AsSpan(first, Math.Min(tileUsers, users - first));
                scorer.Score(userEmbeddings, tile);
                for (var r = 0; r < tile.Length; r++)
                {
                    Assert.Equal(expected.Row(tile[r]).ToArray(), scorer.Row(r).ToArray());
                }
            }
        }
    }

    private static Tensor Random(int rows, int cols, Random random)
    {
        var t = new Tensor(rows, cols);
        var data = t.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (random.NextSingle() * 2) - 1;
        }

        return t;
    }
}
