// Column-major view of a sparse pattern's slots, for backward passes that scatter into columns without races.
namespace MultiRec.Engine.Autograd;

/// <summary>The stored positions of a CSR pattern grouped by column: for column c, the slots p (indices into the
/// pattern's entries) with column c are Slots[ColPtr[c]..ColPtr[c+1]), in ascending row order, and RowOf[p] is the
/// row of slot p.</summary>
internal sealed class PatternTranspose
{
    private PatternTranspose(int[] colPtr, int[] slots, int[] rowOf)
    {
        ColPtr = colPtr;
        Slots = slots;
        RowOf = rowOf;
    }

    public int[] ColPtr { get; }

    public int[] Slots { get; }

    public int[] RowOf { get; }

    /// <summary>O(nnz) counting sort of the slots by column.</summary>
    public static PatternTranspose Of(CsrMatrix pattern)
    {
        var colPtr = new int[pattern.Cols + 1];
        foreach (var c in pattern.ColIdx)
        {
            colPtr[c + 1]++;
        }

        for (var c = 0; c < pattern.Cols; c++)
        {
            colPtr[c + 1] += colPtr[c];
        }

        var fill = (int[])colPtr.Clone();
        var slots = new int[pattern.NonZeros];
        var rowOf = new int[pattern.NonZeros];
        for (var r = 0; r < pattern.Rows; r++)
        {
            for (var p = pattern.RowPtr[r]; p < pattern.RowPtr[r + 1]; p++)
            {
                slots[fill[pattern.ColIdx[p]]++] = p;
                rowOf[p] = r;
            }
        }

        return new PatternTranspose(colPtr, slots, rowOf);
    }
}
