// Copies blocks of op(A) and op(B) into the contiguous, zero-padded panel layout the micro-kernels read.
namespace MultiRec.Engine;

/// <summary>Panel packing for the GEMM driver. A panels: for each k, MR consecutive rows of op(A).
/// B panels: for each k, NR consecutive columns of op(B). Rows/columns past the matrix edge are zero.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] into ceil(mc/MR) panels of kc*MR floats each.</summary>
    public static void PackA(float* a, int lda, bool transposed, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (var ib = 0; ib < mc; ib += mr)
        {
            var rows = Math.Min(mr, mc - ib);
            if (transposed)
            {
                // op(A)[i, p] = A[p, i]: each k step is a contiguous run of rows.
                for (var p = 0; p < kc; p++)
                {
                    var src = a + ((long)(p0 + p) * lda) + i0 + ib;
                    var d = dst + (p * mr);
                    var i = 0;
                    for (; i < rows; i++)
                    {
                        d[i] = src[i];
                    }

                    for (; i < mr; i++)
                    {
                        d[i] = 0f;
                    }
                }
            }
            else
            {
                for (var i = 0; i < rows; i++)
                {
                    var src = a + ((long)(i0 + ib + i) * lda) + p0;
                    var d = dst + i;
                    for (var p = 0; p < kc; p++)
                    {
                        d[p * mr] = src[p];
                    }
                }

                for (var i = rows; i < mr; i++)
                {
                    for (var p = 0; p < kc; p++)
                    {
                        dst[(p * mr) + i] = 0f;
                    }
                }
            }

            dst += kc * mr;
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] into ceil(nc/NR) panels of kc*NR floats each.</summary>
    public static void PackB(float* b, int ldb, bool transposed, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (var jb = 0; jb < nc; jb += nr)
        {
            var cols = Math.Min(nr, nc - jb);
            if (transposed)
            {
                // op(B)[p, j] = B[j, p]: walk each source row contiguously, write with stride NR.
                for (var j = 0; j < cols; j++)
                {
                    var src = b + ((long)(j0 + jb + j) * ldb) + p0;
                    var d = dst + j;
                    for (var p = 0; p < kc; p++)
                    {
                        d[p * nr] = src[p];
                    }
                }

                for (var j = cols; j < nr; j++)
                {
                    for (var p = 0; p < kc; p++)
                    {
                        dst[(p * nr) + j] = 0f;
                    }
                }
            }
            else
            {
                for (var p = 0; p < kc; p++)
                {
                    var src = b + ((long)(p0 + p) * ldb) + j0 + jb;
                    var d = dst + (p * nr);
                    if (cols == nr)
                    {
                        new ReadOnlySpan<float>(src, nr).CopyTo(new Span<float>(d, nr));
                    }
                    else
                    {
                        var j = 0;
                        for (; j < cols; j++)
                        {
                            d[j] = src[j];
                        }

                        for (; j < nr; j++)
                        {
                            d[j] = 0f;
                        }
                    }
                }
            }

            dst += kc * nr;
        }
    }
}
