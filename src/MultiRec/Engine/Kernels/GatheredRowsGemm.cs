// Products with rows of a table picked by index (x = table[rows]), gathered a chunk at a time: the gathered copy of
// x never exceeds one chunk, however many rows are picked.
namespace MultiRec.Engine;

/// <summary>
/// y = table[rows] Wᵀ and dW = dYᵀ table[rows] without materialising table[rows]: rows are gathered a chunk at a
/// time (<see cref="ChunkRows"/>: at most <see cref="ChunkFloats"/> floats, a whole number of the GEMM's K slabs)
/// into a caller-provided scratch buffer and multiplied chunk by chunk. Because a chunk is whole K slabs, the weight
/// gradient accumulates in exactly the order one GEMM over all rows would: both products are bit-identical to
/// gathering every row first. Narrow tables (embeddings) fit in one chunk.
/// </summary>
internal static unsafe class GatheredRowsGemm
{
    /// <summary>Most floats gathered at once (4 MiB).</summary>
    public const int ChunkFloats = 1 << 20;

    /// <summary>Rows gathered per chunk for a table of the given width: whole K slabs within ChunkFloats (at least one slab).</summary>
    public static int ChunkRows(int cols) => Math.Max(1, ChunkFloats / (GemmDriver.SlabDepth * Math.Max(cols, 1))) * GemmDriver.SlabDepth;

    /// <summary>Scratch rows a product over <paramref name="rows"/> rows of a table of width <paramref name="cols"/> needs.</summary>
    public static int ScratchRows(int rows, int cols) => Math.Max(1, Math.Min(rows, ChunkRows(cols)));

    /// <summary>y (n × out) = table[rows] Wᵀ, W: out × in. <paramref name="chunk"/> holds at least ChunkRows × in floats.</summary>
    public static void ProjectRows(Tensor table, ReadOnlySpan<int> rows, Tensor w, Tensor y, float[] chunk)
    {
        Check(table, rows, w, y.Rows, y.Cols, chunk);
        fixed (float* pw = w.Data)
        fixed (float* py = y.Data)
        fixed (float* pChunk = chunk)
        {
            var chunkRows = ChunkRows(table.Cols);
            for (var first = 0; first < rows.Length; first += chunkRows)
            {
                var count = Math.Min(chunkRows, rows.Length - first);
                GatherScatterKernels.Gather(table, rows.Slice(first, count), new Tensor(count, table.Cols, chunk));
                GemmDriver.Run(Gemm.Kernel, ComputeSettings.Threads, count, w.Rows, table.Cols,
                    pChunk, table.Cols, false, pw, w.Cols, true, py + ((long)first * y.Cols), y.Cols, 1f, 0f);
            }
        }
    }

    /// <summary>dW (out × in) = dYᵀ table[rows] + beta · dW, dY: n × out.</summary>
    public static void WeightGradient(Tensor dy, Tensor table, ReadOnlySpan<int> rows, Tensor dw, float beta, float[] chunk)
    {
        Check(table, rows, dw, dy.Rows, dy.Cols, chunk);
        fixed (float* pdy = dy.Data)
        fixed (float* pdw = dw.Data)
        fixed (float* pChunk = chunk)
        {
            if (rows.Length == 0)
            {
                GemmDriver.Run(Gemm.Kernel, 1, dw.Rows, dw.Cols, 0, pdy, dy.Cols, true, pChunk, table.Cols, false, pdw, dw.Cols, 1f, beta); // dW = beta · dW
                return;
            }

            var chunkRows = ChunkRows(table.Cols);
            for (var first = 0; first < rows.Length; first += chunkRows)
            {
                var count = Math.Min(chunkRows, rows.Length - first);
                GatherScatterKernels.Gather(table, rows.Slice(first, count), new Tensor(count, table.Cols, chunk));
                GemmDriver.Run(Gemm.Kernel, ComputeSettings.Threads, dw.Rows, dw.Cols, count,
                    pdy + ((long)first * dy.Cols), dy.Cols, true, pChunk, table.Cols, false, pdw, dw.Cols, 1f, first == 0 ? beta : 1f);
            }
        }
    }

    private static void Check(Tensor table, ReadOnlySpan<int> rows, Tensor w, int n, int outFeatures, float[] chunk)
    {
        if (w.Cols != table.Cols || w.Rows != outFeatures || n != rows.Length)
        {
            throw new ArgumentException($"gathered GEMM shapes do not agree: table {table}, {rows.Length} rows, weight {w}, other {n}x{outFeatures}");
        }

        if (chunk.Length < (long)Math.Min(ChunkRows(table.Cols), rows.Length) * table.Cols)
        {
            throw new ArgumentException($"scratch of {chunk.Length} floats is smaller than a chunk of {ChunkRows(table.Cols)}x{table.Cols}", nameof(chunk));
        }
    }
}
