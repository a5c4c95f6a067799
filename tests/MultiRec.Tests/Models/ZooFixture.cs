// One case folder of the baseline-zoo reference fixtures (fixtures/models/<case>/, see its README): loads initial
// weights by name, replays the injected batches through the model and the trainer's Adam, and asserts loss terms,
// gradients, parameters, both Adam moments after every step and the full score matrix after every epoch.
using System.Text.Json;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Training;

namespace MultiRec.Tests.Models;

/// <summary>Tolerances of a replay (the README's suggested ones by default).</summary>
internal sealed record ReplayTolerances
{
    public double LossRel { get; init; } = 1e-6;

    public (double Rel, double Abs) Grad { get; init; } = (1e-5, 1e-7);

    public (double Rel, double Abs) After { get; init; } = (1e-5, 1e-6);

    public (double Rel, double Abs) ExpAvg { get; init; } = (1e-5, 1e-8);

    public (double Rel, double Abs) ExpAvgSq { get; init; } = (1e-4, 1e-12);

    public (double Rel, double Abs) Scores { get; init; } = (1e-5, 1e-6);

    /// <summary>Per-parameter overrides (gradient atol, after atol, whether moments are compared).</summary>
    public IReadOnlyDictionary<string, (double GradAbs, double AfterAbs, bool Moments)> Noisy { get; init; } =
        new Dictionary<string, (double, double, bool)>();

    /// <summary>Adam's coupled weight decay of the reference run (SLMRec: 1e-4).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Whether the reference's scores are σ(user · item) (SLMRec), not the plain products.</summary>
    public bool SigmoidScores { get; init; }

    /// <summary>Parameters only MultiRec has (SLMRec's score cache): not in the reference's state_dict.</summary>
    public IReadOnlyCollection<string> OursOnly { get; init; } = [];

    /// <summary>After checking a noisy parameter's step, continue from the reference's values of it, so that float32
    /// noise amplified by one step (Adam's lr · g / (|g| + eps) at a gradient near 0) does not spread to the later
    /// steps of the other parameters.</summary>
    public bool ResyncNoisy { get; init; }
}

internal sealed class ZooFixture
{
    public const int Steps = 4;

    public ZooFixture(string caseName)
    {
        Dir = Path.Combine(Root, caseName);
        Config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "config.json"))).RootElement;
    }

    public static string Root => Path.Combine(TestPaths.Fixtures, "models");

    public string Dir { get; }

    public JsonElement Config { get; }

    public static Dataset LoadData() => Dataset.Load(Path.Combine(Root, "tiny"));

    public int Setting(string key) => Config.GetProperty("settings").GetProperty(key).GetInt32();

    public double SettingDouble(string key) => Config.GetProperty("settings").GetProperty(key).GetDouble();

    public float[] Floats(string relative) => NpyFile.Read(Path.Combine(Dir, relative)).ToFloat32();

    public int[] Ints(string relative) => NpyFile.Read(Path.Combine(Dir, relative)).ToInt32();

    /// <summary>Copies init/&lt;name&gt;.npy into every parameter (shapes must agree), after checking the model has
    /// exactly the reference's state_dict keys.</summary>
    public void LoadInit(IRecommenderModel model, IReadOnlyCollection<string>? oursOnly = null)
    {
        var keys = Config.GetProperty("state_dict_keys").EnumerateArray().Select(k => k.GetString()!).Order().ToList();
        var ours = model.Parameters.Where(p => oursOnly?.Contains(p.Name) != true).ToList();
        Assert.Equal(keys, ours.Select(p => p.Name).Order().ToList());
        foreach (var p in ours)
        {
            var init = NpyFile.Read(Path.Combine(Dir, "init", p.Name + ".npy"));
            Assert.Equal(p.Shape, init.Shape);
            init.ToFloat32().CopyTo(p.Value.AsSpan());
        }
    }

    /// <summary>The injected batch of step k.</summary>
    public TrainingBatch Batch(int step)
    {
        var neg = Path.Combine(Dir, $"step{step}", "neg.npy");
        return TrainingBatch.Of(Ints($"step{step}/users.npy"), Ints($"step{step}/pos.npy"), File.Exists(neg) ? Ints($"step{step}/neg.npy") : null);
    }

    /// <summary>The injected batch of step k within the configured batch size (the short last batch keeps it).</summary>
    public TrainingBatch ConfiguredBatch(int step)
    {
        var rows = Batch(step);
        return TrainingBatch.WithCapacity(Config.GetProperty("batch_size").GetInt32(), rows.Users.ToArray(), rows.Items.ToArray(), rows.Negatives.ToArray());
    }

    /// <summary>Two epochs of two steps: BeginEpoch, then per step zero_grad, forward/backward, the checks of grads,
    /// Adam, AfterStep, the checks of parameters and moments; after each epoch the U × I scores.</summary>
    /// <param name="beforeStep">Injects the step's draws (edge masks) before its forward pass.</param>
    /// <param name="termNames">Our loss-term name for each of the fixture's terms (identity when absent).</param>
    /// <param name="epochLearningRate">The learning rate of each epoch (0-based; the configured lr when absent).</param>
    /// <param name="configuredBatches">Batches keep the configured batch size as their capacity (<see cref="ConfiguredBatch"/>).</param>
    public void Replay(IRecommenderModel model, ReplayTolerances tol, Action<int>? beforeStep = null, IReadOnlyDictionary<string, string>? termNames = null,
        Func<int, double>? epochLearningRate = null, bool configuredBatches = false)
    {
        var optimizer = new AdamOptimizer(model.Parameters, lr: Config.GetProperty("lr").GetDouble(), weightDecay: tol.WeightDecay);
        var compared = model.Parameters.Where(p => !tol.OursOnly.Contains(p.Name)).ToList();
        for (var epoch = 0; epoch < 2; epoch++)
        {
            if (epochLearningRate is not null)
            {
                optimizer.LearningRate = (float)epochLearningRate(epoch);
            }

            model.BeginEpoch(epoch + 1, 0);
            for (var s = 0; s < 2; s++)
            {
                var step = (2 * epoch) + s;
                beforeStep?.Invoke(step);
                optimizer.ZeroGrad();
                var loss = model.ForwardBackward(configuredBatches ? ConfiguredBatch(step) : Batch(step));
                var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, $"step{step}", "loss.json"))).RootElement;
                AssertRelative(expected.GetProperty("total").GetDouble(), loss.Total, tol.LossRel, $"step {step} total");
                foreach (var term in expected.GetProperty("terms").EnumerateObject())
                {
                    var ours = termNames?.GetValueOrDefault(term.Name) ?? term.Name;
                    AssertRelative(term.Value.GetDouble(), loss.Terms[ours], tol.LossRel, $"step {step} term {term.Name}");
                }

                var gradNone = expected.GetProperty("grad_none").EnumerateArray().Select(x => x.GetString()).ToHashSet();
                foreach (var p in compared)
                {
                    var file = Path.Combine(Dir, $"step{step}", "grads", p.Name + ".npy");
                    Assert.Equal(gradNone.Contains(p.Name), !File.Exists(file));
                    Assert.Equal(gradNone.Contains(p.Name), !p.Trainable);
                    if (p.Trainable)
                    {
                        var (rel, abs) = tol.Noisy.TryGetValue(p.Name, out var noisy) ? (0, noisy.GradAbs) : tol.Grad;
                        AssertClose(Floats($"step{step}/grads/{p.Name}.npy"), p.Grad!.AsSpan().ToArray(), rel, abs, $"step {step} grad {p.Name}");
                    }
                }

                optimizer.Step();
                model.AfterStep();
                var moments = optimizer.ExportTensors().ToDictionary(t => t.Name, t => t.Value);
                foreach (var p in compared)
                {
                    var noisy = tol.Noisy.TryGetValue(p.Name, out var n) ? n : ((double, double, bool)?)null;
                    var (rel, abs) = noisy is { } x ? (0, x.Item2) : tol.After;
                    AssertClose(Floats($"step{step}/after/{p.Name}.npy"), p.Value.AsSpan().ToArray(), rel, abs, $"step {step} after {p.Name}");
                    if (noisy is not null && tol.ResyncNoisy)
                    {
                        Floats($"step{step}/after/{p.Name}.npy").CopyTo(p.Value.AsSpan());
                    }

                    Assert.Equal(p.Trainable, File.Exists(Path.Combine(Dir, $"step{step}", "exp_avg", p.Name + ".npy")));
                    if (p.Trainable && noisy is not { Item3: false })
                    {
                        AssertClose(Floats($"step{step}/exp_avg/{p.Name}.npy"), moments["optimizer.exp_avg." + p.Name].AsSpan().ToArray(), tol.ExpAvg.Rel, tol.ExpAvg.Abs, $"step {step} exp_avg {p.Name}");
                        AssertClose(Floats($"step{step}/exp_avg_sq/{p.Name}.npy"), moments["optimizer.exp_avg_sq." + p.Name].AsSpan().ToArray(), tol.ExpAvgSq.Rel, tol.ExpAvgSq.Abs, $"step {step} exp_avg_sq {p.Name}");
                    }
                }

                Assert.Equal(expected.GetProperty("adam_t").GetInt64(), optimizer.StepCount);
            }

            var (users, items) = model.ScoringEmbeddings();
            var scores = Scores(users, items);
            if (tol.SigmoidScores)
            {
                foreach (ref var x in scores.AsSpan())
                {
                    x = 1f / (1f + MathF.Exp(-x));
                }
            }

            AssertClose(Floats($"epoch{epoch}/scores.npy"), scores, tol.Scores.Rel, tol.Scores.Abs, $"epoch {epoch} scores");
        }
    }

    /// <summary>Users · Itemsᵀ (U × I, row-major) in double, rounded once.</summary>
    public static float[] Scores(Tensor users, Tensor items)
    {
        var result = new float[users.Rows * items.Rows];
        for (var u = 0; u < users.Rows; u++)
        {
            for (var i = 0; i < items.Rows; i++)
            {
                double dot = 0;
                for (var c = 0; c < users.Cols; c++)
                {
                    dot += (double)users[u, c] * items[i, c];
                }

                result[(u * items.Rows) + i] = (float)dot;
            }
        }

        return result;
    }

    public static void AssertRelative(double expected, double actual, double rel, string what) =>
        Assert.True(Math.Abs(expected - actual) <= rel * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R} (rel {Math.Abs(expected - actual) / Math.Abs(expected):E2})");

    public static void AssertClose(float[] expected, float[] actual, double rel, double abs, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tol = abs + (rel * Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
