// FREEDOM's frozen item–item graph: per modality the top-k cosine neighbours of each item (self included), built in
// row tiles (one GEMM of a tile of unit rows against all of them) with a per-row top-k, so no items × items matrix
// ever exists; symmetric degree normalisation; modalities mixed by weight.
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>Builds the normalised kNN graph K̂ of one feature table and the weighted sum of several.</summary>
internal static class ItemKnnGraph
{
    /// <summary>Rows of similarities held at once: tile × items floats.</summary>
    public const int DefaultTileRows = 256;

    /// <summary>K̂ (I × I): binary top-k of cos(f_a, f_b) per row a (float32, as the reference's matrix product;
    /// ties to the lower index), then value r(rowsum_a) · r(rowsum_b) with r = <see cref="InverseSqrtDegree"/>
    /// (every row sum is k). Holds tileRows × I similarities at a time.</summary>
    public static CsrMatrix Build(FeatureMatrix features, int k, int tileRows = DefaultTileRows)
    {
        var items = features.Rows;
        k = Math.Min(k, items);
        var neighbours = Neighbours(UnitRows(features), k, tileRows);

        // Every row holds k ones, so every row sum (degree) is k.
        var value = InverseSqrtDegree.Of(k) * InverseSqrtDegree.Of(k);
        var coo = new CooBuilder(items, items);
        for (var a = 0; a < items; a++)
        {
            for (var j = 0; j < k; j++)
            {
                coo.Add(a, neighbours[(a * k) + j], value);
            }
        }

        return coo.Build();
    }

    /// <summary>The top-k columns of every row of U Uᵀ (I x k, row-major; largest first, ties to the lower index),
    /// U = <paramref name="unit"/> (I x d, usually unit rows, so the similarities are cosines), computed in float32 as
    /// one matrix product per tile of rows: only tileRows × I similarities exist at a time.</summary>
    public static int[] Neighbours(Tensor unit, int k, int tileRows = DefaultTileRows)
    {
        var items = unit.Rows;
        var cols = unit.Cols;
        if (k < 1 || k > items)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {items}]");
        }

        var neighbours = new int[items * k];
        var best = new float[k];
        // One tile and one similarity block, reused (each is a large-object allocation; fresh ones per tile would
        // pile up as garbage until a full collection); the last, shorter tile gets its own pair.
        Tensor? tile = null, sims = null;
        for (var start = 0; start < items; start += tileRows)
        {
            var rows = Math.Min(tileRows, items - start);
            if (tile is null || tile.Rows != rows)
            {
                tile = new Tensor(rows, cols);
                sims = new Tensor(rows, items);
            }

            unit.Data.AsSpan(start * cols, rows * cols).CopyTo(tile.Data);
            Gemm.Multiply(tile, false, unit, true, sims!);                       // cos: rows × I
            for (var a = 0; a < rows; a++)
            {
                var row = neighbours.AsSpan((start + a) * k, k);
                var count = 0;
                var s = sims!.Row(a);
                for (var b = 0; b < items; b++)
                {
                    Offer(best, row, ref count, s[b], b);
                }
            }
        }

        return neighbours;
    }

    /// <summary>Σ_m w_m · K̂_m with each product rounded to float32 before the sum (a sparse add of scaled matrices).</summary>
    public static CsrMatrix WeightedSum(IReadOnlyList<(CsrMatrix Graph, float Weight)> parts)
    {
        var n = parts[0].Graph.Rows;
        var coo = new CooBuilder(n, n);
        foreach (var (graph, weight) in parts)
        {
            for (var r = 0; r < n; r++)
            {
                for (var p = graph.RowPtr[r]; p < graph.RowPtr[r + 1]; p++)
                {
                    coo.Add(r, graph.ColIdx[p], weight * graph.Values[p]);
                }
            }
        }

        return coo.Build();
    }

    /// <summary>Rows scaled to unit L2 norm (norm in double, quotient rounded to float32; an all-zero row stays zero).</summary>
    private static Tensor UnitRows(FeatureMatrix f)
    {
        var unit = new Tensor(f.Rows, f.Cols);
        for (var r = 0; r < f.Rows; r++)
        {
            var row = f.Row(r);
            double norm = 0;
            foreach (var x in row)
            {
                norm += (double)x * x;
            }

            norm = Math.Sqrt(norm);
            for (var c = 0; c < f.Cols; c++)
            {
                unit.Data[(r * f.Cols) + c] = norm > 0 ? (float)(row[c] / norm) : 0f;
            }
        }

        return unit;
    }

    /// <summary>Running top-k, largest first: inserts (sim, index) when it beats the current k-th (candidates arrive in
    /// ascending index order, so an equal similarity keeps the lower index ahead).</summary>
    private static void Offer(float[] best, Span<int> index, ref int count, float sim, int b)
    {
        var k = best.Length;
        if (count == k && sim <= best[k - 1])
        {
            return;
        }

        var slot = count < k ? count++ : k - 1;
        while (slot > 0 && best[slot - 1] < sim)
        {
            best[slot] = best[slot - 1];
            index[slot] = index[slot - 1];
            slot--;
        }

        best[slot] = sim;
        index[slot] = b;
    }
}
