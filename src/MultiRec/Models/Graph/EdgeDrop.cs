// BUIR's per-step edge dropping of the normalised graph: keep entry e iff floor(fl32(1 − r) + u_e) ≥ 1, scale the kept
// values by fl32(1/(1 − r)), no renormalisation (baselines-reference §6.3).
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>A dropped copy of a graph from a rate r and one uniform per stored entry (in CSR order).</summary>
internal static class EdgeDrop
{
    /// <summary>The kept-entry mask of rate <paramref name="rate"/> and uniforms <paramref name="uniforms"/>.</summary>
    public static bool[] Mask(double rate, ReadOnlySpan<float> uniforms) => Mask(rate, uniforms, new bool[uniforms.Length]);

    /// <summary>The same mask written into <paramref name="mask"/> (reused between steps); returns it.</summary>
    public static bool[] Mask(double rate, ReadOnlySpan<float> uniforms, bool[] mask)
    {
        if (mask.Length != uniforms.Length)
        {
            throw new ArgumentException($"{mask.Length} mask entries for {uniforms.Length} uniforms");
        }

        var keepBase = (float)(1.0 - rate);
        for (var e = 0; e < uniforms.Length; e++)
        {
            mask[e] = MathF.Floor(keepBase + uniforms[e]) >= 1f;
        }

        return mask;
    }

    /// <summary>The graph with only the masked entries, each value × fl32(1/(1 − rate)) as a float32 product. The
    /// result is in general not symmetric (the two directions of an edge are dropped independently).</summary>
    public static CsrMatrix Apply(CsrMatrix graph, bool[] mask, double rate)
    {
        if (mask.Length != graph.NonZeros)
        {
            throw new ArgumentException($"{mask.Length} mask entries for {graph.NonZeros} stored entries");
        }

        var scale = (float)(1.0 / (1.0 - rate));
        var kept = 0;
        foreach (var keep in mask)
        {
            kept += keep ? 1 : 0;
        }

        // Exact-size arrays, filled in one pass (no growing lists: these are large-object allocations every step).
        var rowPtr = new int[graph.Rows + 1];
        var cols = new int[kept];
        var values = new float[kept];
        var n = 0;
        for (var r = 0; r < graph.Rows; r++)
        {
            for (var p = graph.RowPtr[r]; p < graph.RowPtr[r + 1]; p++)
            {
                if (mask[p])
                {
                    cols[n] = graph.ColIdx[p];
                    values[n++] = graph.Values[p] * scale;
                }
            }

            rowPtr[r + 1] = n;
        }

        return new CsrMatrix(graph.Rows, graph.Cols, rowPtr, cols, values);
    }
}
