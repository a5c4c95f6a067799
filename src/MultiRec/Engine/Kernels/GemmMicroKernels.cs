// Register-tiled GEMM micro-kernels: C tile (MR x NR) = alpha * Apanel * Bpanel + beta * C tile.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MultiRec.Engine;

/// <summary>Which micro-kernel the GEMM driver uses; the best one the CPU supports is the default.</summary>
internal enum GemmKernelKind
{
    /// <summary>Portable scalar kernel (4 x 8), correct everywhere.</summary>
    Scalar,

    /// <summary>AVX2 + FMA kernel (6 x 16, twelve 256-bit accumulators).</summary>
    Avx2Fma,

    /// <summary>AVX-512 kernel (8 x 32, sixteen 512-bit accumulators).</summary>
    Avx512,
}

/// <summary>Micro-kernels over packed panels. A panel holds, for each k, MR consecutive values of op(A)'s rows;
/// a B panel holds, for each k, NR consecutive values of op(B)'s columns. Every kernel computes a full MR x NR tile:
/// C = alpha * sum_k a[k] b[k]^T + beta * C, where beta == 0 means C is written without being read.</summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>The fastest kernel this CPU supports.</summary>
    public static GemmKernelKind Best =>
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? GemmKernelKind.Avx512
        : Fma.IsSupported && Avx2.IsSupported ? GemmKernelKind.Avx2Fma
        : GemmKernelKind.Scalar;

    /// <summary>True when the kernel can run on this CPU.</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Avx512 => Avx512F.IsSupported,
        GemmKernelKind.Avx2Fma => Fma.IsSupported && Avx2.IsSupported,
        _ => true,
    };

    /// <summary>Tile height (rows of C per kernel call).</summary>
    public static int TileRows(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Avx512 => 8,
        GemmKernelKind.Avx2Fma => 6,
        _ => 4,
    };

    /// <summary>Tile width (columns of C per kernel call).</summary>
    public static int TileCols(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Avx512 => 32,
        GemmKernelKind.Avx2Fma => 16,
        _ => 8,
    };

    /// <summary>Runs the chosen kernel on one full tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(GemmKernelKind kind, float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        switch (kind)
        {
            case GemmKernelKind.Avx512:
                Avx512Kernel8x32(a, b, kc, c, ldc, alpha, beta);
                break;
            case GemmKernelKind.Avx2Fma:
                Avx2Kernel6x16(a, b, kc, c, ldc, alpha, beta);
                break;
            default:
                ScalarKernel4x8(a, b, kc, c, ldc, alpha, beta);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Kernel8x32(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var av = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(av, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(av, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(av, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(av, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(av, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(av, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(av, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(av, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(av, b1, c71);
            a += 8;
            b += 32;
        }

        Store512(c, alpha, beta, c00, c01);
        Store512(c + ldc, alpha, beta, c10, c11);
        Store512(c + (2 * ldc), alpha, beta, c20, c21);
        Store512(c + (3 * ldc), alpha, beta, c30, c31);
        Store512(c + (4 * ldc), alpha, beta, c40, c41);
        Store512(c + (5 * ldc), alpha, beta, c50, c51);
        Store512(c + (6 * ldc), alpha, beta, c60, c61);
        Store512(c + (7 * ldc), alpha, beta, c70, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, float alpha, float beta, Vector512<float> x0, Vector512<float> x1)
    {
        var va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(x0 * va, c);
            Vector512.Store(x1 * va, c + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(x0, va, Vector512.Load(c) * vb), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(x1, va, Vector512.Load(c + 16) * vb), c + 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx2Kernel6x16(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var av = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }

        Store256(c, alpha, beta, c00, c01);
        Store256(c + ldc, alpha, beta, c10, c11);
        Store256(c + (2 * ldc), alpha, beta, c20, c21);
        Store256(c + (3 * ldc), alpha, beta, c30, c31);
        Store256(c + (4 * ldc), alpha, beta, c40, c41);
        Store256(c + (5 * ldc), alpha, beta, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, float alpha, float beta, Vector256<float> x0, Vector256<float> x1)
    {
        var va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            Vector256.Store(x0 * va, c);
            Vector256.Store(x1 * va, c + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Vector256.Store(Fma.MultiplyAdd(x0, va, Vector256.Load(c) * vb), c);
            Vector256.Store(Fma.MultiplyAdd(x1, va, Vector256.Load(c + 8) * vb), c + 8);
        }
    }

    private static void ScalarKernel4x8(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        const int Mr = 4, Nr = 8;
        var acc = stackalloc float[Mr * Nr];
        new Span<float>(acc, Mr * Nr).Clear();
        for (var p = 0; p < kc; p++)
        {
            for (var i = 0; i < Mr; i++)
            {
                var av = a[i];
                for (var j = 0; j < Nr; j++)
                {
                    acc[(i * Nr) + j] = MathF.FusedMultiplyAdd(av, b[j], acc[(i * Nr) + j]);
                }
            }

            a += Mr;
            b += Nr;
        }

        for (var i = 0; i < Mr; i++)
        {
            for (var j = 0; j < Nr; j++)
            {
                var dst = c + (i * ldc) + j;
                *dst = beta == 0f ? alpha * acc[(i * Nr) + j] : MathF.FusedMultiplyAdd(acc[(i * Nr) + j], alpha, beta * *dst);
            }
        }
    }
}
