// DualGNN (Wang et al., IEEE TMM 2021) as MMRec's DualGNN model computes it (baselines-reference §9).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.DualGnn;

/// <summary>
/// <code>
/// per modality m (image, then text):
///   F_m   = MLP_1_m( lrelu( MLP_m(f_m) ) )                  I × d     f_m: the raw features (constant), MLP_m: 4d × F_m
///   X_m   = normalize_rows( [P_m ; F_m] )                    N × d     P_m: U × d user preference
///   Rep_m = Â X_m + X_m + Â² X_m                             N × d     Â: D^-½ A D^-½ over the user–item graph (G4 = G2)
/// R      = Σ_m Rep_m                                         N × d
/// item   = R[U:]
/// user   = w_u0 ⊙ R[:U] + w_u1 ⊙ Rep_t[:U]   with both modalities (the reference's in-place add makes its "visual"
///          term image + text); with one modality user = Rep_m[:U] and weight_u enters only the regulariser
/// user'  = user + S user                                     U × d     S: this epoch's k-sample of the user–user graph
/// L = −mean_b log₂ σ(user'[u]·item[p] − user'[u]·item[n]) + λ Σ_m mean(P_m[u]²) + λ mean(weight_u²) + λ mean(weight_i²)
/// score(u, i) = user'[u] · item[i], from the last training step's user' and item (stale_scores) or recomputed
/// </code>
/// The reference's three unused linear maps (MLP_v, MLP_t, MLP_user) are frozen parameters: PyTorch's Adam skips a
/// parameter whose grad stays None. The stale representation is kept as a frozen parameter (result_embed, as the
/// reference names it) so a checkpoint carries what its epoch was scored with. The user–user graph ranks tied counts
/// by user id, where the reference's preprocessing leaves the order to torch.topk.
/// </summary>
internal sealed class DualGnn : IRecommenderModel
{
    private readonly DualGnnOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _adjacency;              // Â: (U+I) × (U+I), symmetric
    private UserCooccurrenceGraph _userGraph;
    private readonly Variable _weightUsers;             // weight_u: U × 2 (stored U × 2 × 1)
    private readonly Variable _weightItems;             // weight_i: I × 2, regulariser only
    private readonly List<Branch> _branches = [];
    private readonly int _users;
    private readonly ulong _seed;
    private readonly Tape _tape = new();
    private readonly ScoringCache _cache;               // user' and item of the last training forward (frozen)
    private CsrMatrix? _epochUserGraph;                 // S: U × U

    public DualGnn(Dataset data, DualGnnOptions options, int seed)
    {
        Validate(options);
        _options = options;
        _users = data.Users;
        _seed = (ulong)seed;
        var names = Modalities.Select(data, options.Modalities);
        if (names.Count == 0)
        {
            throw new ArgumentException("DualGNN needs at least one modality (image_feat.npy or text_feat.npy)");
        }

        var d = options.EmbeddingSize;
        _adjacency = PreNormalizedAdjacency.Build(data.Train);
        _userGraph = UserCooccurrenceGraph.Build(data.Train, options.UserGraphCap);
        var init = new Rng((ulong)seed);

        // The reference's registration order: its own tensors, then the modules (the three unused linear maps first).
        _weightUsers = _parameters.Add("weight_u", SoftmaxPairs(data.Users, init), [data.Users, 2, 1]);
        _weightItems = _parameters.Add("weight_i", SoftmaxPairs(data.Items, init), [data.Items, 2, 1]);
        _parameters.Add("MLP_v.weight", ParameterSet.LinearWeight(d, d, init), [d, d], trainable: false);
        _parameters.Add("MLP_t.weight", ParameterSet.LinearWeight(d, d, init), [d, d], trainable: false);
        _parameters.Add("MLP_user.weight", ParameterSet.LinearWeight(d, 3 * d, init), [d, 3 * d], trainable: false);
        _parameters.Add("MLP_user.bias", ParameterSet.LinearBias(d, 3 * d, init), [d], trainable: false);
        foreach (var name in names)
        {
            var prefix = name == "image" ? "v_gcn" : "t_gcn";
            var features = data.Features[name];
            var hidden = 4 * d;
            _branches.Add(new Branch(
                name,
                Variable.Constant(new Tensor(features.Rows, features.Cols, features.Values), $"{name}_feat"),
                _parameters.Add($"{prefix}.preference", ParameterSet.XavierNormal(data.Users, d, init), [data.Users, d]),
                _parameters.Add($"{prefix}.MLP.weight", ParameterSet.LinearWeight(hidden, features.Cols, init), [hidden, features.Cols]),
                _parameters.Add($"{prefix}.MLP.bias", ParameterSet.LinearBias(hidden, features.Cols, init), [hidden]),
                _parameters.Add($"{prefix}.MLP_1.weight", ParameterSet.LinearWeight(d, hidden, init), [d, hidden]),
                _parameters.Add($"{prefix}.MLP_1.bias", ParameterSet.LinearBias(d, hidden, init), [d])));
        }

        // The reference's result_embed, kept as frozen parameters so checkpoints carry it; a fresh model's is its
        // forward over the first epoch's sample.
        var (users, items) = Recompute(_userGraph.Sample(options.UserNeighbours, _seed));
        _cache = ScoringCache.Stacked(_parameters, "result_embed", new Tensor(data.Users + data.Items, d), data.Users);
        _cache.Store(users, items);
    }

    public string Name => "DualGNN";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    /// <summary>The ranked user–user co-occurrence graph the epochs sample from; replaceable before the first epoch
    /// (fixture replays inject the reference's lists, whose order among tied counts is torch.topk's).</summary>
    public UserCooccurrenceGraph UserGraph
    {
        get => _userGraph;
        set => _userGraph = value.Users == _users ? value : throw new ArgumentException($"the user graph has {value.Users} users, the model {_users}", nameof(value));
    }

    /// <summary>This epoch's user–user aggregation matrix S (null before the first epoch).</summary>
    public CsrMatrix? EpochUserGraph => _epochUserGraph;

    /// <summary>Test hook: the padding picks of an epoch (epoch, current list length → position), replacing the
    /// seeded draw (fixture replays inject the reference's numpy draws).</summary>
    public Func<int, Func<int, int>>? PaddingHook { get; set; }

    public void BeginEpoch(int epoch, ulong seed)
    {
        _epochUserGraph = PaddingHook is { } hook
            ? _userGraph.Sample(_options.UserNeighbours, hook(epoch))
            : _userGraph.Sample(_options.UserNeighbours, seed);
    }

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var graph = _epochUserGraph ?? throw new InvalidOperationException("DualGNN: BeginEpoch must run before the first step");
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);

        var (user, item) = Forward(t, graph);
        Profile?.Lap(ref clock, "propagation");
        _cache.Store(user.Value, item.Value);

        // −mean log₂ σ(s⁺ − s⁻)
        var difference = t.Sub(t.RowDot(user, u, item, p), t.RowDot(user, u, item, n));
        var bpr = t.Scale(t.MeanAll(t.LogOfEpsilonPlusSigmoid(difference, 0f)), (float)(-1.0 / Math.Log(2.0)));

        // λ (Σ_m mean(P_m[u]²)) + λ mean(weight_u²) + λ mean(weight_i²), in the reference's order of addition.
        Variable? preferences = null;
        foreach (var branch in _branches)
        {
            var rows = t.GatherRows(branch.Preference, u);
            var term = t.MeanAll(t.Mul(rows, rows));
            preferences = preferences is null ? term : t.Add(preferences, term);
        }

        var lambda = (float)_options.RegWeight;
        var reg = t.Scale(preferences!, lambda);
        reg = t.Add(reg, t.Scale(t.MeanAll(t.Mul(_weightUsers, _weightUsers)), lambda));
        reg = t.Add(reg, t.Scale(t.MeanAll(t.Mul(_weightItems, _weightItems)), lambda));
        var total = t.Add(bpr, reg);
        var terms = new Dictionary<string, double> { ["bpr"] = bpr.Scalar, ["reg"] = reg.Scalar };
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    /// <summary>user' (U × d) and item (I × d) over the user–user aggregation matrix S.</summary>
    public (Variable Users, Variable Items) Forward(Tape t, CsrMatrix userGraph)
    {
        var representations = new List<Variable>(_branches.Count);
        foreach (var b in _branches)
        {
            var projected = t.Linear(t.LeakyRelu(t.Linear(b.Features, b.Weight, b.Bias)), b.Weight1, b.Bias1);   // F_m: I × d
            var x = t.L2NormalizeRows(t.ConcatRows(b.Preference, projected));                                    // X_m: N × d
            var h = t.SparseMultiply(_adjacency, x, isSymmetric: true);
            var h1 = t.SparseMultiply(_adjacency, h, isSymmetric: true);
            representations.Add(t.Add(t.Add(h, x), h1));                                                       // Rep_m
        }

        var sum = representations[0];
        for (var m = 1; m < representations.Count; m++)
        {
            sum = t.Add(sum, representations[m]);
        }

        var item = t.SliceRows(sum, _users, sum.Rows - _users);
        var user = representations.Count == 2
            ? t.RowWeightedSum(_weightUsers, [t.SliceRows(sum, 0, _users), t.SliceRows(representations[1], 0, _users)])
            : t.SliceRows(representations[0], 0, _users);
        return (t.Add(user, t.SparseMultiply(userGraph, user)), item);
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings() =>
        _options.StaleScores ? _cache.Read() : Recompute(_epochUserGraph ?? _userGraph.Sample(_options.UserNeighbours, _seed));

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>user' and item from the current weights (no gradient) over a user–user aggregation matrix.</summary>
    private (Tensor Users, Tensor Items) Recompute(CsrMatrix userGraph) =>
        _tape.EvaluateWithoutGradient(t => Forward(t, userGraph));

    // softmax over the two entries of each row of a xavier_normal_ n × 2 × 1 tensor: N(0, 2/(n + 2)) (fan_in 2, fan_out n).
    private static Tensor SoftmaxPairs(int rows, Rng rng)
    {
        var values = ParameterSet.XavierNormal(rows, 2, rng);
        for (var r = 0; r < rows; r++)
        {
            var a = values[r, 0];
            var b = values[r, 1];
            var max = Math.Max(a, b);
            var ea = MathF.Exp(a - max);
            var eb = MathF.Exp(b - max);
            values[r, 0] = ea / (ea + eb);
            values[r, 1] = eb / (ea + eb);
        }

        return values;
    }

    private static void Validate(DualGnnOptions o)
    {
        if (o.EmbeddingSize < 1 || o.RegWeight < 0 || o.UserNeighbours < 1 || o.UserGraphCap < 1)
        {
            throw new ArgumentException($"invalid DualGNN options: embedding_size {o.EmbeddingSize} (>= 1), reg_weight {o.RegWeight} (>= 0), user_neighbours {o.UserNeighbours} (>= 1), user_graph_cap {o.UserGraphCap} (>= 1)");
        }
    }

    private sealed record Branch(string Name, Variable Features, Variable Preference, Variable Weight, Variable Bias, Variable Weight1, Variable Bias1);
}
