// Adam step figures over BM3-on-Baby's 33.6 M parameters, against a memory copy of the same number of bytes.
using MultiRec.Engine;

namespace MultiRec.Benchmarks;

/// <summary>Prints ms per Adam step and effective GB/s (reads p, g, m, v; writes p, m, v: 28 bytes per parameter),
/// and the time of a parallel copy that reads and writes the same 28 bytes per parameter (14 read + 14 written).</summary>
internal static class AdamBench
{
    private static readonly (string Name, int Rows, int Cols)[] Baby =
    [
        ("user_embedding.weight", 19445, 64),
        ("item_id_embedding.weight", 7050, 64),
        ("image_embedding.weight", 7050, 4096),
        ("text_embedding.weight", 7050, 384),
        ("image_trs.weight", 64, 4096),
        ("image_trs.bias", 1, 64),
        ("text_trs.weight", 64, 384),
        ("text_trs.bias", 1, 64),
        ("predictor.weight", 64, 64),
        ("predictor.bias", 1, 64),
    ];

    public static void Run(int threads)
    {
        var rng = new Rng(7);
        var parameters = Baby.Select(s =>
        {
            var value = new Tensor(s.Rows, s.Cols);
            var grad = new Tensor(s.Rows, s.Cols);
            rng.FillNormal(value, 0f, 0.05f);
            rng.FillNormal(grad, 0f, 1e-3f);
            return (s.Name, value, grad);
        }).ToList();
        var count = parameters.Sum(p => (long)p.value.Length);
        var adam = new Adam([.. parameters.Select(p => (p.Name, p.value, (Tensor?)p.grad))]);
        var stepSeconds = BenchTimer.BestSeconds(adam.Step, budgetSeconds: 2);
        var bytes = count * 28.0;

        // The same traffic as a copy: 3.5 floats per parameter read and 3.5 written.
        var copyLength = count * 7 / 2;
        var source = new float[copyLength];
        var target = new float[copyLength];
        source.AsSpan().Fill(1f);
        var copySeconds = BenchTimer.BestSeconds(() => ParallelCopy(source, target, threads), budgetSeconds: 2);
        Console.WriteLine($"Adam (threads={threads}): {count:N0} parameters in {parameters.Count} tensors");
        Console.WriteLine($"  step {stepSeconds * 1e3:F1} ms, {bytes / stepSeconds / 1e9:F1} GB/s effective; copy of the same bytes {copySeconds * 1e3:F1} ms ({bytes / copySeconds / 1e9:F1} GB/s); step / copy = {stepSeconds / copySeconds:F2}");
    }

    private static void ParallelCopy(float[] source, float[] target, int threads)
    {
        const int Chunk = 1 << 20;
        var chunks = (source.Length + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            var start = c * Chunk;
            var length = Math.Min(Chunk, source.Length - start);
            source.AsSpan(start, length).CopyTo(target.AsSpan(start, length));
        });
    }
}
