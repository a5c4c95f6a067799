// LightGCN (He et al., SIGIR 2020) as MMRec's LightGCN model computes it (baselines-reference §4).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.LightGcn;

/// <summary>
/// <code>
/// E⁰ = [E_u; E_i]  (U+I) × d  (embedding_dict.user_emb, embedding_dict.item_emb; xavier_uniform_)
/// H = mean(E⁰, ÂE⁰, …, Â^L E⁰),  H_u = H[:U], H_i = H[U:]        Â: the G1 graph (NormalizedAdjacency)
/// s⁺_b = H_u[u_b] · H_i[p_b],  s⁻_b = H_u[u_b] · H_i[n_b]          B × 1
/// L = −mean_b log(1e-10 + σ(s⁺_b − s⁻_b)) + λ (‖E_u[u]‖_F + ‖E_i[p]‖_F + ‖E_i[n]‖_F) / B    (ego rows)
/// score(u, i) = H_u[u] · H_i[i]
/// </code>
/// </summary>
internal sealed class LightGcn : IRecommenderModel
{
    private readonly LightGcnOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _adjacency;   // Â: (U+I) × (U+I), symmetric
    private readonly Variable _users;        // E_u: U × d
    private readonly Variable _items;        // E_i: I × d
    private readonly Tape _tape = new();

    public LightGcn(Dataset data, LightGcnOptions options, int seed)
    {
        if (options.EmbeddingSize < 1 || options.NLayers < 0 || options.RegWeight < 0)
        {
            throw new ArgumentException($"invalid LightGCN options: embedding_size {options.EmbeddingSize} (>= 1), n_layers {options.NLayers} (>= 0), reg_weight {options.RegWeight} (>= 0)");
        }

        _options = options;
        var d = options.EmbeddingSize;
        _adjacency = NormalizedAdjacency.Build(data.Train);
        var init = new Rng((ulong)seed);
        _users = _parameters.Add("embedding_dict.user_emb", ParameterSet.XavierUniform(data.Users, d, init), [data.Users, d]);
        _items = _parameters.Add("embedding_dict.item_emb", ParameterSet.XavierUniform(data.Items, d, init), [data.Items, d]);
    }

    public string Name => "LightGCN";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);

        var (hu, hi) = Propagate(t);
        Profile?.Lap(ref clock, "propagation");
        var positive = t.RowDot(hu, u, hi, p);                                     // s⁺: B × 1
        var negative = t.RowDot(hu, u, hi, n);                                     // s⁻: B × 1
        var bpr = PairwiseLosses.Bpr(t, positive, negative);
        var reg = PairwiseLosses.EmbLoss(t, t.GatherRows(_users, u), t.GatherRows(_items, p), t.GatherRows(_items, n));
        var total = t.Add(bpr, t.Scale(reg, (float)_options.RegWeight));
        var terms = new Dictionary<string, double> { ["bpr"] = bpr.Scalar, ["reg"] = reg.Scalar };
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    /// <summary>H_u (U × d) and H_i (I × d): the mean of the propagated layers.</summary>
    public (Variable Users, Variable Items) Propagate(Tape t) =>
        t.LightGcnPropagate(_adjacency, _users, _items, _options.NLayers, isSymmetric: true);

    public (Tensor Users, Tensor Items) ScoringEmbeddings() => _tape.EvaluateWithoutGradient(Propagate);

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }
}
