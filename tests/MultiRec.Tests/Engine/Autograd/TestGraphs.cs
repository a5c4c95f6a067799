// Small sparse matrices for engine tests: random CSR and the BM3-style normalised bipartite adjacency.
using MultiRec.Engine;

namespace MultiRec.Tests.Engine.Autograd;

internal static class TestGraphs
{
    /// <summary>A rows x cols CSR matrix with each entry present with the given probability, values in [-1, 1).</summary>
    public static CsrMatrix RandomCsr(int rows, int cols, double density, int seed)
    {
        var random = new Random(seed);
        var dense = new Tensor(rows, cols);
        for (var i = 0; i < dense.Length; i++)
        {
            if (random.NextDouble() < density)
            {
                dense.Data[i] = (2f * random.NextSingle()) - 1f;
            }
        }

        return FromDense(dense);
    }

    /// <summary>The CSR form of a dense matrix (zeros are not stored).</summary>
    public static CsrMatrix FromDense(Tensor dense)
    {
        var rowPtr = new int[dense.Rows + 1];
        var cols = new List<int>();
        var values = new List<float>();
        for (var r = 0; r < dense.Rows; r++)
        {
            for (var c = 0; c < dense.Cols; c++)
            {
                if (dense[r, c] != 0f)
                {
                    cols.Add(c);
                    values.Add(dense[r, c]);
                }
            }

            rowPtr[r + 1] = cols.Count;
        }

        return new CsrMatrix(dense.Rows, dense.Cols, rowPtr, [.. cols], [.. values]);
    }

    /// <summary>D^-1/2 A D^-1/2 of the (users + items) bipartite graph with the given (user, item) edges, as in BM3.</summary>
    public static CsrMatrix NormalisedBipartite(int users, int items, (int User, int Item)[] edges)
    {
        var n = users + items;
        var dense = new Tensor(n, n);
        foreach (var (u, i) in edges)
        {
            dense[u, users + i] = 1f;
            dense[users + i, u] = 1f;
        }

        var degree = new double[n];
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                degree[r] += dense[r, c];
            }

            degree[r] += 1e-7;
        }

        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                if (dense[r, c] != 0f)
                {
                    dense[r, c] = (float)(1.0 / Math.Sqrt(degree[r] * degree[c]));
                }
            }
        }

        return FromDense(dense);
    }
}
