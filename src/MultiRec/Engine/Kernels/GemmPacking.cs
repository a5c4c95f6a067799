// Copies blocks of op(A) and op(B) into the contiguous, zero-padded panel layout the micro-kernels read.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MultiRec.Engine;

/// <summary>Panel packing for the GEMM driver. A panels: for each k, MR consecutive rows of op(A).
/// B panels: for each k, NR consecutive columns of op(B). Rows/columns past the matrix edge are zero.
/// Wherever the source is contiguous along the panel width, the source is walked row by row (one sequential
/// stream) and split across panels, which keeps hardware prefetching effective on large operands.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] into ceil(mc/MR) panels of kc*MR floats each.</summary>
    public static void PackA(float* a, int lda, bool transposed, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        if (transposed)
        {
            // op(A)[i, p] = A[p, i]: source row p holds the panel rows side by side.
            PackAlongRows(a + ((long)p0 * lda) + i0, lda, kc, mc, mr, dst);
            return;
        }

        for (var ib = 0; ib < mc; ib += mr)
        {
            var rows = Math.Min(mr, mc - ib);
            var panel = dst + ((long)ib * kc);
            for (var i = 0; i < rows; i++)
            {
                var src = a + ((long)(i0 + ib + i) * lda) + p0;
                var d = panel + i;
                for (var p = 0; p < kc; p++)
                {
                    d[p * mr] = src[p];
                }
            }

            for (var i = rows; i < mr; i++)
            {
                for (var p = 0; p < kc; p++)
                {
                    panel[(p * mr) + i] = 0f;
                }
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] into ceil(nc/NR) panels of kc*NR floats each.</summary>
    public static void PackB(float* b, int ldb, bool transposed, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        if (!transposed)
        {
            PackAlongRows(b + ((long)p0 * ldb) + j0, ldb, kc, nc, nr, dst);
            return;
        }

        // op(B)[p, j] = B[j, p]: walk each source row contiguously, write with stride NR.
        for (var jb = 0; jb < nc; jb += nr)
        {
            var cols = Math.Min(nr, nc - jb);
            var panel = dst + ((long)jb * kc);
            for (var j = 0; j < cols; j++)
            {
                var src = b + ((long)(j0 + jb + j) * ldb) + p0;
                var d = panel + j;
                for (var p = 0; p < kc; p++)
                {
                    d[p * nr] = src[p];
                }
            }

            for (var j = cols; j < nr; j++)
            {
                for (var p = 0; p < kc; p++)
                {
                    panel[(p * nr) + j] = 0f;
                }
            }
        }
    }

    /// <summary>src row p (p &lt; depth) holds `width` values that go to panels of `panelWidth`:
    /// dst[panel][p][w] = src[p][panel * panelWidth + w], zero-padded to whole panels.</summary>
    private static void PackAlongRows(float* src, int ld, int depth, int width, int panelWidth, float* dst)
    {
        var fullPanels = width / panelWidth;
        var tail = width - (fullPanels * panelWidth);
        var panelStride = (long)depth * panelWidth;
        // Prefetch about 4 KB ahead of the copy: far enough to hide latency, near enough not to crowd the fill buffers.
        var bytesPerRow = width * sizeof(float);
        var prefetchRows = Math.Max(1, 4096 / Math.Max(bytesPerRow, 1));
        for (var p = 0; p < depth; p++)
        {
            var row = src + ((long)p * ld);
            if (Sse.IsSupported && p + prefetchRows < depth)
            {
                // Large operands stream from memory in short row segments that the hardware prefetcher picks up late.
                var ahead = (byte*)(row + ((long)prefetchRows * ld));
                for (var offset = 0; offset < bytesPerRow; offset += 64)
                {
                    Sse.Prefetch0(ahead + offset);
                }
            }

            var d = dst + ((long)p * panelWidth);
            for (var q = 0; q < fullPanels; q++)
            {
                CopyShort(row + (q * panelWidth), d + (q * panelStride), panelWidth);
            }

            if (tail > 0)
            {
                var last = d + (fullPanels * panelStride);
                CopyShort(row + (fullPanels * panelWidth), last, tail);
                for (var w = tail; w < panelWidth; w++)
                {
                    last[w] = 0f;
                }
            }
        }
    }

    /// <summary>Copies a short run (a panel row: 4 to 32 floats) inline, without a call into memmove.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(float* src, float* dst, int count)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                Vector256.Store(Vector256.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }
    }
}
