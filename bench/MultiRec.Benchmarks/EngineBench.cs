// The `engine` benchmark suite: GEMM, SpMM and Adam figures, printed with the thread count.
using MultiRec.Engine;

namespace MultiRec.Benchmarks;

/// <summary>`engine [--threads T] [--only gemm|spmm|adam]`: prints kernel throughput; nothing is asserted.</summary>
internal static class EngineBench
{
    public static int Run(string[] args)
    {
        var threads = ComputeSettings.Threads;
        string? only = null;
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
                default:
                    Console.Error.WriteLine($"engine: unknown or incomplete option '{args[i]}'; usage: engine [--threads T] [--only gemm|spmm|adam]");
                    return 2;
            }
        }

        ComputeSettings.Threads = threads;
        Console.WriteLine($"engine benchmark: threads={threads}, processors={Environment.ProcessorCount}");
        if (only is null or "gemm")
        {
            GemmBench.Run(threads, OpenBlas.TryLoad());
        }

        return 0;
    }
}
