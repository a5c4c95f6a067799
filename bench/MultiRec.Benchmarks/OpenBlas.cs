// Optional OpenBLAS binding (loaded at run time when the system has it) used as a yardstick for GEMM figures.
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace MultiRec.Benchmarks;

/// <summary>cblas_sgemm from a system OpenBLAS, or null when none can be loaded. Set MULTIREC_OPENBLAS to a
/// library path to choose one; by default the dynamic linker looks for libopenblas.so.0.</summary>
internal sealed unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;

    private OpenBlas(nint sgemm, nint setThreads, nint coreName)
    {
        CoreName = coreName == 0 ? "unknown" : Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)coreName)()) ?? "unknown";
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _setThreads = (delegate* unmanaged<int, void>)setThreads;
    }

    /// <summary>The library name or path that was loaded.</summary>
    public string Library { get; private init; } = "";

    /// <summary>The kernel family OpenBLAS chose for this CPU (openblas_get_corename).</summary>
    public string CoreName { get; }

    /// <summary>A note on how the kernel family was chosen, or empty.</summary>
    public string Note { get; private init; } = "";

    /// <summary>Loads OpenBLAS, or returns null when it is not installed. When OPENBLAS_CORETYPE is unset and the CPU
    /// has AVX-512, it is set to SkylakeX first: older OpenBLAS builds (Debian 12 ships 0.3.21) do not recognise newer
    /// Xeon models and silently fall back to their generic Prescott (SSE3) kernels, which would flatter our figures.</summary>
    public static OpenBlas? TryLoad()
    {
        var note = "";
        if (Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is null && Avx512F.IsSupported && OperatingSystem.IsLinux())
        {
            SetNativeEnvironment("OPENBLAS_CORETYPE", "SkylakeX", 1);
            note = "OPENBLAS_CORETYPE=SkylakeX set by the benchmark (set it yourself to override)";
        }

        var name = Environment.GetEnvironmentVariable("MULTIREC_OPENBLAS") ?? "libopenblas.so.0";
        if (!NativeLibrary.TryLoad(name, out var handle)
            || !NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)
            || !NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
        {
            return null;
        }

        NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var coreName);
        return new OpenBlas(sgemm, setThreads, coreName) { Library = name, Note = note };
    }

    /// <summary>setenv(3): OpenBLAS reads its variables from the native environment when it is loaded.</summary>
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    /// <summary>openblas_set_num_threads.</summary>
    public void SetThreads(int threads) => _setThreads(threads);

    /// <summary>Row-major cblas_sgemm with the same meaning as MultiRec.Engine.Gemm.Multiply.</summary>
    public void Sgemm(float[] a, int lda, bool transA, float[] b, int ldb, bool transB, float[] c, int m, int n, int k, float alpha, float beta)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n);
        }
    }
}
