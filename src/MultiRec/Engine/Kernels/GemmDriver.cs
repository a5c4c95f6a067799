// Cache-blocked, parallel GEMM driver: splits C into tiles, packs panels per tile and runs the micro-kernel.
namespace MultiRec.Engine;

/// <summary>Blocked GEMM on raw row-major buffers. C is cut into a grid of (MC x NC) tiles run in parallel;
/// each tile walks K in slabs of <see cref="SlabDepth"/>, packs its slab of op(A) (MC x KC, stays in L2) and of
/// op(B) (KC x NC), then sweeps MR x NR micro-tiles. Each tile packs privately, so no synchronisation is needed;
/// the repeated packing of the other operand costs (MC + NC) / (MC * NC) of the arithmetic, under 1 %.</summary>
internal static unsafe class GemmDriver
{
    /// <summary>K slab depth: one B micro-panel (KC x NR) must fit the L1 cache.</summary>
    public const int SlabDepth = 256;

    /// <summary>Largest tile height (rows of C); a multiple of every kernel's MR.</summary>
    public const int MaxTileRows = 192;

    /// <summary>Largest tile width (columns of C); a multiple of every kernel's NR.</summary>
    public const int MaxTileCols = 512;

    /// <summary>Below this many multiply-adds (m*n*k) the product runs on the calling thread only.</summary>
    public const long ParallelThreshold = 1L << 18;

    [ThreadStatic]
    private static float[]? t_workspace;

    /// <summary>C (m x n) = alpha * op(A) * op(B) + beta * C on row-major buffers with the given row strides.</summary>
    public static void Run(
        GemmKernelKind kernel, int threads, int m, int n, int k,
        float* a, int lda, bool transA, float* b, int ldb, bool transB, float* c, int ldc, float alpha, float beta)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            ScaleRows(c, ldc, m, n, beta);
            return;
        }

        var mr = GemmMicroKernels.TileRows(kernel);
        var nr = GemmMicroKernels.TileCols(kernel);
        var tilesM = CeilDiv(m, MaxTileRows);
        var tilesN = CeilDiv(n, MaxTileCols);
        var parallel = threads > 1 && (long)m * n * k >= ParallelThreshold;
        if (parallel)
        {
            BalanceTiles(m, n, mr, nr, threads, ref tilesM, ref tilesN);
        }

        var job = new Job
        {
            Kernel = kernel,
            M = m,
            N = n,
            K = k,
            A = a,
            Lda = lda,
            TransA = transA,
            B = b,
            Ldb = ldb,
            TransB = transB,
            C = c,
            Ldc = ldc,
            Alpha = alpha,
            Beta = beta,
            Mr = mr,
            Nr = nr,
            TileRows = RoundUp(CeilDiv(m, tilesM), mr),
            TileCols = RoundUp(CeilDiv(n, tilesN), nr),
        };
        job.TilesM = CeilDiv(m, job.TileRows);
        var tiles = job.TilesM * CeilDiv(n, job.TileCols);
        if (!parallel || tiles == 1)
        {
            for (var t = 0; t < tiles; t++)
            {
                job.RunTile(t);
            }
        }
        else
        {
            Parallel.For(0, tiles, new ParallelOptions { MaxDegreeOfParallelism = threads }, job.RunTile);
        }
    }

    /// <summary>Raises the tile count so that every thread gets work and the last round is full.</summary>
    private static void BalanceTiles(int m, int n, int mr, int nr, int threads, ref int tilesM, ref int tilesN)
    {
        var maxM = CeilDiv(m, mr);
        var maxN = CeilDiv(n, nr);
        var target = RoundUp(tilesM * tilesN, threads);
        if (maxM >= maxN)
        {
            tilesM = Math.Min(maxM, CeilDiv(target, tilesN));
        }
        else
        {
            tilesN = Math.Min(maxN, CeilDiv(target, tilesM));
        }
    }

    private static void ScaleRows(float* c, int ldc, int m, int n, float beta)
    {
        for (var i = 0; i < m; i++)
        {
            var row = new Span<float>(c + ((long)i * ldc), n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    private static int CeilDiv(int x, int y) => (x + y - 1) / y;

    private static int RoundUp(int x, int multiple) => CeilDiv(x, multiple) * multiple;

    /// <summary>Per-thread packing buffer, 64-byte aligned, reused across calls.</summary>
    private static float* Workspace(int floats, out float[] pinnedOwner)
    {
        const int AlignFloats = 16;
        var ws = t_workspace;
        if (ws is null || ws.Length < floats + AlignFloats)
        {
            ws = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
            t_workspace = ws;
        }

        pinnedOwner = ws;
        var p = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref ws[0]);
        var misalign = (int)((nint)p & 63) / sizeof(float);
        return misalign == 0 ? p : p + (AlignFloats - misalign);
    }

    /// <summary>One GEMM call's parameters; RunTile computes one tile of C.</summary>
    private sealed class Job
    {
        public GemmKernelKind Kernel;
        public int M, N, K, Lda, Ldb, Ldc, Mr, Nr, TileRows, TileCols, TilesM;
        public float* A, B, C;
        public bool TransA, TransB;
        public float Alpha, Beta;

        public void RunTile(int tile)
        {
            var i0 = tile % TilesM * TileRows;
            var j0 = tile / TilesM * TileCols;
            var mc = Math.Min(TileRows, M - i0);
            var nc = Math.Min(TileCols, N - j0);
            var kcMax = Math.Min(SlabDepth, K);
            var aFloats = RoundUp(mc, Mr) * kcMax;
            var bFloats = RoundUp(nc, Nr) * kcMax;
            var packA = Workspace(aFloats + bFloats + (Mr * Nr), out var owner);
            var packB = packA + aFloats;
            var edge = packB + bFloats;
            for (var p0 = 0; p0 < K; p0 += SlabDepth)
            {
                var kc = Math.Min(SlabDepth, K - p0);
                GemmPacking.PackA(A, Lda, TransA, i0, mc, p0, kc, Mr, packA);
                GemmPacking.PackB(B, Ldb, TransB, p0, kc, j0, nc, Nr, packB);
                var beta = p0 == 0 ? Beta : 1f;
                for (var jb = 0; jb < nc; jb += Nr)
                {
                    var bPanel = packB + ((long)(jb / Nr) * kc * Nr);
                    var cols = Math.Min(Nr, nc - jb);
                    for (var ib = 0; ib < mc; ib += Mr)
                    {
                        var aPanel = packA + ((long)(ib / Mr) * kc * Mr);
                        var rows = Math.Min(Mr, mc - ib);
                        var cTile = C + ((long)(i0 + ib) * Ldc) + j0 + jb;
                        if (rows == Mr && cols == Nr)
                        {
                            GemmMicroKernels.Run(Kernel, aPanel, bPanel, kc, cTile, Ldc, Alpha, beta);
                        }
                        else
                        {
                            GemmMicroKernels.Run(Kernel, aPanel, bPanel, kc, edge, Nr, 1f, 0f);
                            MergeEdge(edge, rows, cols, cTile, beta);
                        }
                    }
                }
            }

            GC.KeepAlive(owner);
        }

        private void MergeEdge(float* edge, int rows, int cols, float* cTile, float beta)
        {
            for (var i = 0; i < rows; i++)
            {
                var dst = cTile + ((long)i * Ldc);
                var src = edge + (i * Nr);
                for (var j = 0; j < cols; j++)
                {
                    dst[j] = beta == 0f ? Alpha * src[j] : MathF.FusedMultiplyAdd(src[j], Alpha, beta * dst[j]);
                }
            }
        }
    }
}
