// Fills the rows of items without a feature with the mean of the computed rows (the reference's rule).
using System.Numerics.Tensors;

namespace MultiRec.Features.Extraction;

/// <summary>Mean-vector filling for items whose feature could not be computed.</summary>
public static class MeanFill
{
    /// <summary>
    /// Writes the mean of the rows marked in <paramref name="computed"/> into every other row.
    /// With <paramref name="unitNorm"/> the mean is rescaled to length 1 (used for text, whose
    /// rows are all unit vectors). Returns the mean written (before any rescaling).
    /// </summary>
    public static float[] Apply(float[] matrix, int cols, bool[] computed, bool unitNorm)
    {
        var rows = computed.Length;
        var mean = new float[cols];
        var count = 0;
        for (var r = 0; r < rows; r++)
        {
            if (computed[r])
            {
                TensorPrimitives.Add(mean, matrix.AsSpan(r * cols, cols), mean);
                count++;
            }
        }

        if (count == 0)
        {
            throw new InvalidOperationException("no item has a feature, so there is no mean to fill in");
        }

        TensorPrimitives.Divide(mean, count, mean);
        var fill = (float[])mean.Clone();
        if (unitNorm)
        {
            var norm = TensorPrimitives.Norm(fill);
            TensorPrimitives.Divide(fill, MathF.Max(norm, 1e-12f), fill);
        }

        for (var r = 0; r < rows; r++)
        {
            if (!computed[r])
            {
                fill.CopyTo(matrix.AsSpan(r * cols, cols));
            }
        }

        return mean;
    }
}
