// Adam with PyTorch 1.13 semantics over a model's parameters, fused into one vectorised pass per parameter.
using System.Globalization;
using System.Runtime.Intrinsics;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Training;

/// <summary>
/// torch.optim.Adam (single-tensor path): m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
/// p −= (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε), with g += weight_decay·p first when weight decay is set.
/// Every trainable parameter is updated on every step, including rows whose gradient is zero (dense Adam, as
/// PyTorch does for BM3's tables). One pass per parameter reads p, g, m, v, writes p, m, v and clears g,
/// so no separate zero_grad pass over the gradients is needed.
/// </summary>
public sealed class AdamOptimizer
{
    private const int ChunkFloats = 1 << 16;
    private readonly List<(ModelParameter Parameter, Tensor M, Tensor V)> _state = [];

    public AdamOptimizer(IReadOnlyList<ModelParameter> parameters, double lr, double weightDecay = 0, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        LearningRate = lr;
        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        foreach (var p in parameters.Where(p => p.Trainable))
        {
            _state.Add((p, p.Value.ZerosLike(), p.Value.ZerosLike()));
        }
    }

    public double LearningRate { get; }

    public double WeightDecay { get; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    /// <summary>Steps taken (PyTorch's state['step']).</summary>
    public long StepCount { get; private set; }

    /// <summary>Clears every gradient (before the first batch; Step clears them afterwards).</summary>
    public void ZeroGrad()
    {
        foreach (var (p, _, _) in _state)
        {
            p.Variable.ZeroGrad();
        }
    }

    /// <summary>One Adam update of every trainable parameter; gradients are cleared as they are consumed.
    /// A parameter that has never received a gradient is skipped (PyTorch skips grad = None).</summary>
    public void Step()
    {
        StepCount++;
        var bc1 = 1 - Math.Pow(Beta1, StepCount);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        var stepSize = (float)(LearningRate / bc1);
        var bc2SqrtF = (float)bc2Sqrt;
        var b1 = (float)Beta1;
        var b2 = (float)Beta2;
        var c1 = (float)(1 - Beta1);
        var c2 = (float)(1 - Beta2);
        var eps = (float)Eps;
        var wd = (float)WeightDecay;
        foreach (var (p, m, v) in _state)
        {
            var g = p.Grad;
            if (g is null)
            {
                continue;
            }

            var n = p.Value.Length;
            var chunks = (n + ChunkFloats - 1) / ChunkFloats;
            var pd = p.Value.Data;
            var gd = g.Data;
            var md = m.Data;
            var vd = v.Data;
            if (chunks == 1)
            {
                Update(pd, gd, md, vd, 0, n, b1, b2, c1, c2, stepSize, bc2SqrtF, eps, wd);
            }
            else
            {
                Parallel.For(0, chunks, ComputeSettings.ParallelOptions, c =>
                {
                    var start = c * ChunkFloats;
                    Update(pd, gd, md, vd, start, Math.Min(n, start + ChunkFloats), b1, b2, c1, c2, stepSize, bc2SqrtF, eps, wd);
                });
            }
        }
    }

    /// <summary>The moments as checkpoint tensors: optimizer.exp_avg.&lt;name&gt; and optimizer.exp_avg_sq.&lt;name&gt;.</summary>
    public IEnumerable<NamedTensor> ExportTensors()
    {
        foreach (var (p, m, v) in _state)
        {
            yield return new NamedTensor("optimizer.exp_avg." + p.Name, p.Shape, m);
            yield return new NamedTensor("optimizer.exp_avg_sq." + p.Name, p.Shape, v);
        }
    }

    /// <summary>Restores moments and step count from a checkpoint written with <see cref="ExportTensors"/>.</summary>
    public void Import(SafeTensorsFile file, string path)
    {
        foreach (var (p, m, v) in _state)
        {
            Copy(file, "optimizer.exp_avg." + p.Name, m, path);
            Copy(file, "optimizer.exp_avg_sq." + p.Name, v, path);
        }

        StepCount = long.Parse(file.Metadata.GetValueOrDefault("optimizer_step") ?? throw new DataFormatException(path, "no optimizer_step in metadata"), CultureInfo.InvariantCulture);
    }

    private static void Copy(SafeTensorsFile file, string name, Tensor into, string path)
    {
        var t = file.Find(name) ?? throw new DataFormatException(path, $"optimizer state '{name}' is missing");
        if (t.Value.Length != into.Length)
        {
            throw new DataFormatException(path, $"optimizer state '{name}' has {t.Value.Length} values, expected {into.Length}");
        }

        t.Value.AsSpan().CopyTo(into.AsSpan());
    }

    private static void Update(float[] p, float[] g, float[] m, float[] v, int start, int end,
        float b1, float b2, float c1, float c2, float stepSize, float bc2Sqrt, float eps, float wd)
    {
        var i = start;
        if (Vector256.IsHardwareAccelerated && wd == 0f)
        {
            var vb1 = Vector256.Create(b1);
            var vb2 = Vector256.Create(b2);
            var vc1 = Vector256.Create(c1);
            var vc2 = Vector256.Create(c2);
            var vStep = Vector256.Create(stepSize);
            var vBc2Sqrt = Vector256.Create(bc2Sqrt);
            var vEps = Vector256.Create(eps);
            for (; i <= end - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var gi = Vector256.Create(g, i);
                var mi = (Vector256.Create(m, i) * vb1) + (gi * vc1);
                var vi = (Vector256.Create(v, i) * vb2) + (gi * gi * vc2);
                var denom = (Vector256.Sqrt(vi) / vBc2Sqrt) + vEps;
                var pi = Vector256.Create(p, i) - (vStep * (mi / denom));
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                pi.CopyTo(p, i);
                Vector256<float>.Zero.CopyTo(g, i);
            }
        }

        for (; i < end; i++)
        {
            var gi = g[i] + (wd * p[i]);
            m[i] = (m[i] * b1) + (gi * c1);
            v[i] = (v[i] * b2) + (gi * gi * c2);
            p[i] -= stepSize * (m[i] / ((MathF.Sqrt(v[i]) / bc2Sqrt) + eps));
            g[i] = 0f;
        }
    }
}
