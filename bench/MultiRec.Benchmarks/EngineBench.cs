// The `engine` benchmark suite: GEMM, SpMM and Adam figures, printed with the thread count.
using MultiRec.Engine;

namespace MultiRec.Benchmarks;

/// <summary>`engine [--threads T] [--only gemm|spmm|adam] [--shape NAME-PART] [--rounds R] [--cpu-time]` (R alternating rounds of
/// ours vs OpenBLAS per GEMM shape, default 5; --cpu-time times the thread's CPU time, for one thread on a busy machine): prints kernel throughput; nothing is asserted.</summary>
internal static class EngineBench
{
    public static int Run(string[] args)
    {
        var threads = ComputeSettings.Threads;
        string? only = null, shape = null;
        var rounds = 5;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t >= 1:
                    threads = t;
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = args[++i];
                    break;
                case "--cpu-time":
                    BenchTimer.UseThreadCpuTime = true;
                    break;
                case "--shape" when i + 1 < args.Length:
                    shape = args[++i];
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r >= 1:
                    rounds = r;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"engine: unknown or incomplete option '{args[i]}'; usage: engine [--threads T] [--only gemm|spmm|adam] [--shape NAME-PART] [--rounds R] [--cpu-time]");
                    return 2;
            }
        }

        if (BenchTimer.UseThreadCpuTime && threads != 1)
        {
            Console.Error.WriteLine("engine: --cpu-time measures the calling thread only; use it with --threads 1");
            return 2;
        }

        ComputeSettings.Threads = threads;
        Console.WriteLine($"engine benchmark: threads={threads}, processors={Environment.ProcessorCount}");
        if (only is null or "gemm")
        {
            GemmBench.Run(threads, OpenBlas.TryLoad(), shape, rounds);
        }

        if (only is null or "spmm")
        {
            SpmmBench.Run(threads);
        }

        if (only is null or "adam")
        {
            AdamBench.Run(threads);
        }

        return 0;
    }
}
