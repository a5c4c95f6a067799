// SLMRec's user-item propagation matrix (its adj_type "pre"): D^-1/2 A D^-1/2 as scipy computes it in float32
// (baselines-reference §2.6, G2).
using MultiRec.Data;
using MultiRec.Engine;

namespace MultiRec.Models.Graph;

/// <summary>Builds Â = D^-1/2 A D^-1/2 over U + I nodes (item i is node U + i) with the G2 recipe: the same
/// structure as <see cref="NormalizedAdjacency"/> (binary A, duplicates collapsed, no self-loops, rows sorted by
/// column), but every step in float32: deg = row sum in float32 (the reference's + 1e-8 is lost in it),
/// r = fl32(1 / fl32(sqrt(deg))) (numpy's float32 power(deg, −0.5) gives these values; the correctly rounded
/// deg^-1/2 differs in the last bit for some degrees), value(a, b) = fl32(r_a · r_b). It differs from G1's float64
/// values in the last bit at most.</summary>
internal static class PreNormalizedAdjacency
{
    public static CsrMatrix Build(UserItemCsr train)
    {
        var structure = NormalizedAdjacency.Build(train);
        var n = structure.Rows;
        var rowPtr = structure.RowPtr;
        var scale = new float[n];
        for (var r = 0; r < n; r++)
        {
            var degree = rowPtr[r + 1] - rowPtr[r];
            // An isolated node's factor is never read (its row and column are empty).
            scale[r] = degree == 0 ? 0f : 1f / MathF.Sqrt(degree);
        }

        var values = new float[structure.NonZeros];
        for (var r = 0; r < n; r++)
        {
            for (var k = rowPtr[r]; k < rowPtr[r + 1]; k++)
            {
                values[k] = scale[r] * scale[structure.ColIdx[k]];
            }
        }

        return new CsrMatrix(n, n, rowPtr, structure.ColIdx, values);
    }
}
