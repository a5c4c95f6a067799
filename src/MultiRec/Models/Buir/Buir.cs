// BUIR (Lee et al., SIGIR 2021) with a LightGCN encoder, as SelfCF's BUIR model computes it (baselines-reference §6).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.Buir;

/// <summary>
/// <code>
/// online θ_o = (E_u, E_i), target θ_t (a copy at start, no gradient), predictor f: d × d + bias
/// per step: θ_t ← fl32(θ_t · m) + fl32(θ_o · (1 − m))                  first, from the previous step's online weights
///           Â_1, Â_2 = Â with entries dropped at rates r_1, r_2 ~ U(0, 1)·drop_ratio, kept values × 1/(1 − r)
///           (U_on, I_on) = LightGCN_L(Â_1, θ_o),  (U_tg, I_tg) = LightGCN_L(Â_2, θ_t)      mean of layers 0..L
/// L = mean_b [(2 − 2 cos(f(U_on[u_b]), I_tg[i_b])) + (2 − 2 cos(f(I_on[i_b]), U_tg[u_b]))]
/// score(u, i) = f(U)[u] · I[i] + U[u] · f(I)[i]   (online encoder on the full Â)
///             = [f(U) ‖ U][u] · [I ‖ f(I)][i]
/// </code>
/// The moving average runs at the start of each step, as in the reference, so the target after step k is the one that
/// step k trained against; it is a checkpointed (frozen) parameter, so resume needs no other state.
/// </summary>
internal sealed class Buir : IRecommenderModel
{
    private readonly BuirOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _adjacency;      // Â: (U+I) × (U+I)
    private readonly Variable _onlineUsers;     // U × d
    private readonly Variable _onlineItems;     // I × d
    private readonly Variable _targetUsers;     // U × d (frozen)
    private readonly Variable _targetItems;     // I × d (frozen)
    private readonly Variable _predictorW;      // d × d
    private readonly Variable _predictorB;      // 1 × d
    private readonly Tape _tape = new();
    private readonly Dictionary<string, bool[]> _lastMasks = [];
    private readonly float[] _uniforms;         // one uniform per stored entry of Â (scratch, reused every step)

    public Buir(Dataset data, BuirOptions options, int seed)
    {
        if (options.EmbeddingSize < 1 || options.NLayers < 0 || options.Momentum is < 0 or > 1 || options.DropRatio is < 0 or > 1)
        {
            throw new ArgumentException($"invalid BUIR options: embedding_size {options.EmbeddingSize} (>= 1), n_layers {options.NLayers} (>= 0), momentum {options.Momentum} (in [0, 1]), drop_ratio {options.DropRatio} (in [0, 1])");
        }

        _options = options;
        var d = options.EmbeddingSize;
        _adjacency = NormalizedAdjacency.Build(data.Train);
        _uniforms = new float[_adjacency.NonZeros];
        var init = new Rng((ulong)seed);
        var users = ParameterSet.XavierUniform(data.Users, d, init);
        var items = ParameterSet.XavierUniform(data.Items, d, init);
        _onlineItems = _parameters.Add("online_encoder.embedding_dict.item_emb", items, [data.Items, d]);
        _onlineUsers = _parameters.Add("online_encoder.embedding_dict.user_emb", users, [data.Users, d]);
        _targetItems = _parameters.Add("target_encoder.embedding_dict.item_emb", items.Clone(), [data.Items, d], trainable: false);
        _targetUsers = _parameters.Add("target_encoder.embedding_dict.user_emb", users.Clone(), [data.Users, d], trainable: false);
        _predictorW = _parameters.Add("predictor.weight", ParameterSet.LinearWeight(d, d, init), [d, d]);
        _predictorB = _parameters.Add("predictor.bias", ParameterSet.LinearBias(d, d, init), [d]);
    }

    public string Name => "BUIR";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public StepProfile? Profile { get; set; }

    /// <summary>Test hook: the drop rate and the uniforms (one per stored entry of Â, CSR order) of an encoder,
    /// "online" then "target" in every step, replacing the seeded draws (fixture replays).</summary>
    public Func<string, (double Rate, float[] Uniforms)>? EdgeDropHook { get; set; }

    /// <summary>The kept-entry masks of the last step, per encoder ("online", "target").</summary>
    public IReadOnlyDictionary<string, bool[]> LastMasks => _lastMasks;

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var u = batch.Users.ToArray();
        var i = batch.Items.ToArray();
        if (u.Length != i.Length || u.Length == 0)
        {
            throw new ArgumentException("BUIR needs a non-empty batch of (user, item) pairs");
        }

        UpdateTarget();
        var (onlineUsers, onlineItems) = t.LightGcnPropagate(Dropped("online", batch.StepSeed, 0), _onlineUsers, _onlineItems, _options.NLayers);
        var (targetUsers, targetItems) = t.LightGcnPropagate(Dropped("target", batch.StepSeed, 1), _targetUsers, _targetItems, _options.NLayers);
        Profile?.Lap(ref clock, "propagation");
        var predictedUsers = t.LinearRows(onlineUsers, u, _predictorW, _predictorB);   // f(U_on[u]): B × d
        var predictedItems = t.LinearRows(onlineItems, i, _predictorW, _predictorB);   // f(I_on[i]): B × d
        var ui = TwoMinusTwoMeanCos(t, predictedUsers, t.GatherRows(targetItems, i));
        var iu = TwoMinusTwoMeanCos(t, predictedItems, t.GatherRows(targetUsers, u));
        var total = t.Add(ui, iu);
        var terms = new Dictionary<string, double> { ["ui_mean"] = ui.Scalar, ["iu_mean"] = iu.Scalar };
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings()
    {
        return _tape.EvaluateWithoutGradient(t =>
        {
            var (users, items) = t.LightGcnPropagate(_adjacency, _onlineUsers, _onlineItems, _options.NLayers, isSymmetric: true);
            return (t.ConcatColumns(t.Linear(users, _predictorW, _predictorB), users),   // [f(U) ‖ U]: U × 2d
                    t.ConcatColumns(items, t.Linear(items, _predictorW, _predictorB)));  // [I ‖ f(I)]: I × 2d
        });
    }

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>θ_t ← fl32(θ_t · fl32(m)) + fl32(θ_o · fl32(1 − m)), entry by entry.</summary>
    private void UpdateTarget()
    {
        var keep = (float)_options.Momentum;
        var take = (float)(1.0 - _options.Momentum);
        foreach (var (target, online) in new[] { (_targetUsers, _onlineUsers), (_targetItems, _onlineItems) })
        {
            var tv = target.Value.AsSpan();
            var ov = online.Value.AsSpan();
            for (var k = 0; k < tv.Length; k++)
            {
                var a = tv[k] * keep;
                var b = ov[k] * take;
                tv[k] = a + b;
            }
        }
    }

    /// <summary>Â with the encoder's edge drop: rate and uniforms from the hook, else from stream
    /// <paramref name="stream"/> of the step seed.</summary>
    private CsrMatrix Dropped(string encoder, ulong stepSeed, ulong stream)
    {
        double rate;
        float[] uniforms;
        if (EdgeDropHook is { } hook)
        {
            (rate, uniforms) = hook(encoder);
        }
        else
        {
            var rng = new Rng(Seeds.Derive(stepSeed, stream));
            rate = rng.NextDouble() * _options.DropRatio;
            uniforms = _uniforms;
            for (var e = 0; e < uniforms.Length; e++)
            {
                uniforms[e] = rng.NextFloat();
            }
        }

        if (!_lastMasks.TryGetValue(encoder, out var mask) || mask.Length != uniforms.Length)
        {
            mask = _lastMasks[encoder] = new bool[uniforms.Length];
        }

        EdgeDrop.Mask(rate, uniforms, mask);
        return EdgeDrop.Apply(_adjacency, mask, rate);
    }

    private static Variable TwoMinusTwoMeanCos(Tape t, Variable a, Variable b) =>
        t.Affine(t.MeanAll(t.CosineSimilarityRows(a, b)), -2f, 2f);
}
