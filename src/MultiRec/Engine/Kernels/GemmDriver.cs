// Cache-blocked, parallel GEMM driver: splits C into tiles, packs panels per tile and runs the micro-kernel.
using System.Runtime.InteropServices;

namespace MultiRec.Engine;

/// <summary>Blocked GEMM on raw row-major buffers. C is cut into a grid of (MC x NC) tiles run in parallel;
/// each tile walks K in slabs of <see cref="SlabDepth"/>, packs its slab of op(A) (MC x KC, stays in L2) and of
/// op(B) (KC x NC), then sweeps MR x NR micro-tiles. A row-major op(A) is not packed at all: the kernel reads its
/// rows in place. When C has several tile rows and op(B) is small (the common x·Wᵀ and scoring shapes), op(B) is
/// packed once up front and shared read-only by every tile; otherwise each tile packs its own slab, whose cost
/// relative to the arithmetic is about (MC + NC) / (MC * NC), under 1 %.</summary>
internal static unsafe class GemmDriver
{
    /// <summary>K slab depth: one B micro-panel (KC x NR) must fit the L1 cache.</summary>
    public const int SlabDepth = 256;

    /// <summary>Largest tile height (rows of C); a multiple of every kernel's MR.</summary>
    public const int MaxTileRows = 192;

    /// <summary>Largest tile width (columns of C); a multiple of every kernel's NR.</summary>
    public const int MaxTileCols = 1024;

    /// <summary>Below this many multiply-adds (m*n*k) the product runs on the calling thread only.</summary>
    public const long ParallelThreshold = 1L << 18;

    /// <summary>Largest op(B), in floats, that is packed once and shared by all tiles (16 MB).</summary>
    public const long SharedPackLimit = 1L << 22;

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

        var paddedN = RoundUp(n, nr);
        var job = new Job
        {
            Kernel = kernel,
            M = m,
            N = n,
            K = k,
            A = a,
            Lda = lda,
            TransA = transA,
            DirectA = !transA && GemmMicroKernels.HasRowMajorVariant(kernel),
            B = b,
            Ldb = ldb,
            TransB = transB,
            C = c,
            Ldc = ldc,
            Alpha = alpha,
            Beta = beta,
            Mr = mr,
            Nr = nr,
            PaddedN = paddedN,
            TileRows = RoundUp(CeilDiv(m, tilesM), mr),
            TileCols = RoundUp(CeilDiv(n, tilesN), nr),
        };
        job.TilesM = CeilDiv(m, job.TileRows);
        var tiles = job.TilesM * CeilDiv(n, job.TileCols);
        var shareB = job.TilesM > 1 && (long)k * paddedN <= SharedPackLimit;
        try
        {
            if (shareB)
            {
                job.SharedB = (float*)NativeMemory.AlignedAlloc((nuint)((long)k * paddedN * sizeof(float)), 64);
                job.PackAllOfB(parallel && (long)k * paddedN >= 1L << 20 ? threads : 1);
            }

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
        finally
        {
            NativeMemory.AlignedFree(job.SharedB);
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
        public int M, N, K, Lda, Ldb, Ldc, Mr, Nr, PaddedN, TileRows, TileCols, TilesM;
        public float* A, B, C;
        public bool TransA, TransB, DirectA;
        public float Alpha, Beta;

        /// <summary>All of op(B) packed once (slab after slab, each slab kc x PaddedN), or null when tiles pack their own.</summary>
        public float* SharedB;

        public void PackAllOfB(int threads)
        {
            var slabs = CeilDiv(K, SlabDepth);
            if (threads <= 1 || slabs == 1)
            {
                for (var p0 = 0; p0 < K; p0 += SlabDepth)
                {
                    GemmPacking.PackB(B, Ldb, TransB, p0, Math.Min(SlabDepth, K - p0), 0, N, Nr, SharedB + ((long)p0 * PaddedN));
                }

                return;
            }

            Parallel.For(0, slabs, new ParallelOptions { MaxDegreeOfParallelism = threads }, slab =>
            {
                var p0 = slab * SlabDepth;
                GemmPacking.PackB(B, Ldb, TransB, p0, Math.Min(SlabDepth, K - p0), 0, N, Nr, SharedB + ((long)p0 * PaddedN));
            });
        }

        public void RunTile(int tile)
        {
            var i0 = tile % TilesM * TileRows;
            var j0 = tile / TilesM * TileCols;
            var mc = Math.Min(TileRows, M - i0);
            var nc = Math.Min(TileCols, N - j0);
            var kcMax = Math.Min(SlabDepth, K);
            var aFloats = DirectA ? Mr * kcMax : RoundUp(mc, Mr) * kcMax;
            var bFloats = SharedB is null ? RoundUp(nc, Nr) * kcMax : 0;
            var packA = Workspace(aFloats + bFloats + (Mr * Nr), out var owner);
            var packB = packA + aFloats;
            var edge = packB + bFloats;
            for (var p0 = 0; p0 < K; p0 += SlabDepth)
            {
                var kc = Math.Min(SlabDepth, K - p0);
                if (!DirectA)
                {
                    GemmPacking.PackA(A, Lda, TransA, i0, mc, p0, kc, Mr, packA);
                }

                float* bSlab;
                if (SharedB is null)
                {
                    GemmPacking.PackB(B, Ldb, TransB, p0, kc, j0, nc, Nr, packB);
                    bSlab = packB;
                }
                else
                {
                    bSlab = SharedB + ((long)p0 * PaddedN) + ((long)j0 * kc);
                }

                var beta = p0 == 0 ? Beta : 1f;

                if (DirectA)
                {
                    // Row blocks outer: the unpacked A rows are fetched once into L1 and reused across the
                    // column panels, and C is written row block by row block.
                    for (var ib = 0; ib < mc; ib += Mr)
                    {
                        for (var jb = 0; jb < nc; jb += Nr)
                        {
                            MicroTile(i0, ib, mc, j0, jb, nc, p0, kc, packA, bSlab, edge, beta);
                        }
                    }
                }
                else
                {
                    // Column panels outer (the classic order): one B panel stays in L1 while packed A panels stream from L2.
                    for (var jb = 0; jb < nc; jb += Nr)
                    {
                        for (var ib = 0; ib < mc; ib += Mr)
                        {
                            MicroTile(i0, ib, mc, j0, jb, nc, p0, kc, packA, bSlab, edge, beta);
                        }
                    }
                }
            }

            GC.KeepAlive(owner);
        }

        /// <summary>One MR x NR block of C at tile offset (ib, jb) for the K slab starting at p0.</summary>
        private void MicroTile(int i0, int ib, int mc, int j0, int jb, int nc, int p0, int kc, float* packA, float* bSlab, float* edge, float beta)
        {
            var rows = Math.Min(Mr, mc - ib);
            var cols = Math.Min(Nr, nc - jb);
            var bPanel = bSlab + ((long)jb * kc);
            var cTile = C + ((long)(i0 + ib) * Ldc) + j0 + jb;
            var full = rows == Mr && cols == Nr;
            var target = full ? cTile : edge;
            var ldTarget = full ? Ldc : Nr;
            var alpha = full ? Alpha : 1f;
            var betaTarget = full ? beta : 0f;
            if (DirectA && rows == Mr)
            {
                GemmMicroKernels.RunRowMajorA(Kernel, A + ((long)(i0 + ib) * Lda) + p0, Lda, bPanel, kc, target, ldTarget, alpha, betaTarget);
            }
            else
            {
                float* aPanel;
                if (DirectA)
                {
                    // The last rows of a tile: pack just these into a zero-padded panel (rare, cheap).
                    GemmPacking.PackA(A, Lda, false, i0 + ib, rows, p0, kc, Mr, packA);
                    aPanel = packA;
                }
                else
                {
                    aPanel = packA + ((long)ib * kc);
                }

                GemmMicroKernels.Run(Kernel, aPanel, bPanel, kc, target, ldTarget, alpha, betaTarget);
            }

            if (!full)
            {
                MergeEdge(edge, rows, cols, cTile, beta);
            }
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
