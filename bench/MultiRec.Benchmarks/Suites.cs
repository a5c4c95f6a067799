// The registry of benchmark suites: add one line per suite (name, description, entry point taking the remaining args).
namespace MultiRec.Benchmarks;

/// <summary>A benchmark suite: what it measures and how to run it.</summary>
internal sealed record Suite(string Description, Func<string[], int> Run);

internal static class Suites
{
    public static readonly IReadOnlyDictionary<string, Suite> All = new SortedDictionary<string, Suite>(StringComparer.Ordinal)
    {
        ["data"] = new("load times of ../shared/data baby and sports; synthetic catalog generation", DataSuite.Run),
        ["eval"] = new("full-ranking evaluation (Baby size by default): GEMM scoring, masking, top-K, metrics", EvaluationBench.Run),
        ["synth"] = new("write a synthetic catalog: synth OUT USERS ITEMS INTERACTIONS IMAGE_DIM TEXT_DIM", TrainSuite.Synth),
        ["train"] = new("BM3 training epochs and evaluations as `multirec bench --json`: train --data DIR [--epochs N] [--threads T]", TrainSuite.Train),
        ["serve"] = new("single-query recommend/similar latency (Baby size, no HTTP), export throughput; `serve make-run DIR` for tools/bench/serve-load.sh", ServeBench.Run),
        ["export-pg"] = new("rows/s of the Baby-sized top-50 export loaded into PostgreSQL: export-pg --to postgres://user@host[:port]/db", ExportPgBench.Run),
        ["engine"] = new("GEMM on BM3 shapes (vs OpenBLAS when installed), SpMM on a Baby-sized graph, Adam over 33.6 M parameters", EngineBench.Run),
    };
}
