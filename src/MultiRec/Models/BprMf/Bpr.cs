// BPR matrix factorisation (Rendle et al., UAI 2009) as MMRec's BPR model computes it (baselines-reference §3).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;

namespace MultiRec.Models.BprMf;

/// <summary>
/// <code>
/// P: U × d (user_embedding.weight), Q: I × d (item_embedding.weight), both xavier_normal_
/// s⁺_b = P[u_b] · Q[p_b],  s⁻_b = P[u_b] · Q[n_b]                       B × 1
/// L = −mean_b log(1e-10 + σ(s⁺_b − s⁻_b)) + λ (‖P[u]‖_F + ‖Q[p]‖_F + ‖Q[n]‖_F) / B
/// score(u, i) = P[u] · Q[i]
/// </code>
/// </summary>
internal sealed class Bpr : IRecommenderModel
{
    private readonly BprOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly Variable _users;    // P: U × d
    private readonly Variable _items;    // Q: I × d
    private readonly Tape _tape = new();

    public Bpr(Dataset data, BprOptions options, int seed)
    {
        if (options.EmbeddingSize < 1 || options.RegWeight < 0)
        {
            throw new ArgumentException($"invalid BPR options: embedding_size {options.EmbeddingSize} (>= 1), reg_weight {options.RegWeight} (>= 0)");
        }

        _options = options;
        var d = options.EmbeddingSize;
        var init = new Rng((ulong)seed);
        _users = _parameters.Add("user_embedding.weight", ParameterSet.XavierNormal(data.Users, d, init), [data.Users, d]);
        _items = _parameters.Add("item_embedding.weight", ParameterSet.XavierNormal(data.Items, d, init), [data.Items, d]);
    }

    public string Name => "BPR";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);

        var positive = t.RowDot(_users, u, _items, p);                             // s⁺: B × 1
        var negative = t.RowDot(_users, u, _items, n);                             // s⁻: B × 1
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

    public (Tensor Users, Tensor Items) ScoringEmbeddings() => (_users.Value.Clone(), _items.Value.Clone());

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }
}
