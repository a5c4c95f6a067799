// FREEDOM (Zhou & Shen, ACM MM 2023) as MMRec's FREEDOM model computes it (baselines-reference §11).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.Freedom;

/// <summary>
/// <code>
/// S = Σ_m w_m K̂_m                          I × I   frozen kNN graph of the initial raw features (w_image, 1 − w_image)
/// h = S^{L_mm} E_i                           I × d
/// H = mean(E⁰, AE⁰, …, A^{L_ui} E⁰),  E⁰ = [E_u; E_i]      A = the epoch's pruned graph (training), Â (scoring)
/// H_u = H[:U],  H_i = H[U:] + h
/// T_m = X_m W_mᵀ + b_m                       I × d   per modality; X_m = the trainable raw table m (I × F_m), W_m: d × F_m
///                                                    (computed only at the batch's distinct items, the rows the loss reads)
/// L = BPR_ls(H_u, H_i) + λ Σ_m BPR_ls(H_u, T_m),   BPR_ls(a, b) = −mean_b logsigmoid(a[u]·b[p] − a[u]·b[n])
/// score(u, i) = H_u[u] · H_i[i]  (full Â; the projections do not enter)
/// </code>
/// </summary>
internal sealed class Freedom : IRecommenderModel, IRowSparseModel
{
    private readonly FreedomOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _adjacency;          // Â: (U+I) × (U+I), for scoring
    private readonly CsrMatrix _itemGraph;          // S: I × I
    private readonly EdgePruning _pruning;
    private readonly Variable _users;               // E_u: U × d
    private readonly Variable _items;               // E_i: I × d
    private readonly List<(string Name, Variable Table, Variable Weight, Variable Bias, ModelParameter Parameter)> _modalities = [];
    private readonly UniqueRows _uniqueItems;       // the batch's distinct positive and negative items (scratch)
    private readonly Tape _tape = new();
    private CsrMatrix? _trainingGraph;              // the epoch's pruned graph

    public Freedom(Dataset data, FreedomOptions options, int seed)
    {
        Validate(options);
        _options = options;
        var names = Modalities.Select(data, options.Modalities);
        if (names.Count == 0)
        {
            throw new ArgumentException("FREEDOM needs at least one modality (image_feat.npy or text_feat.npy)");
        }

        var d = options.EmbeddingSize;
        _adjacency = NormalizedAdjacency.Build(data.Train);
        _pruning = new EdgePruning(data.Train);
        var init = new Rng((ulong)seed);
        _uniqueItems = new UniqueRows(data.Items);
        _users = _parameters.Add("user_embedding.weight", ParameterSet.XavierUniform(data.Users, d, init), [data.Users, d]);
        _items = _parameters.Add("item_id_embedding.weight", ParameterSet.XavierUniform(data.Items, d, init), [data.Items, d]);
        var graphs = new List<(CsrMatrix, float)>();
        foreach (var name in names)
        {
            var features = data.Features[name];
            // The graph uses the initial values: it is built first. The raw table then takes over the dataset's array
            // (no copy: it is the largest allocation of the run), and its gradient buffer is left to the optimizer,
            // which may keep it row-sparse.
            var weight = names.Count == 1 ? 1f : (float)(name == "image" ? options.MmImageWeight : 1.0 - options.MmImageWeight);
            graphs.Add((ItemKnnGraph.Build(features, options.KnnK), weight));
            var table = _parameters.Add($"{name}_embedding.weight", new Tensor(features.Rows, features.Cols, features.Values), [features.Rows, features.Cols], allocateGrad: false);
            var tableParameter = _parameters.All[^1];
            var w = _parameters.Add($"{name}_trs.weight", ParameterSet.LinearWeight(d, features.Cols, init), [d, features.Cols]);
            var b = _parameters.Add($"{name}_trs.bias", ParameterSet.LinearBias(d, features.Cols, init), [d]);
            _modalities.Add((name, table, w, b, tableParameter));
        }

        RowSparseParameters = _modalities.Select(m => m.Parameter).ToList();

        _itemGraph = graphs.Count == 1 ? graphs[0].Item1 : ItemKnnGraph.WeightedSum(graphs);
    }

    public string Name => "FREEDOM";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    /// <summary>The raw feature tables: read, and given a gradient, only at the batch's items.</summary>
    public IReadOnlyList<ModelParameter> RowSparseParameters { get; }

    public Action<ModelParameter, int[]>? BeforeRowsRead { get; set; }

    /// <summary>The frozen item–item graph S.</summary>
    public CsrMatrix ItemGraph => _itemGraph;

    /// <summary>The pruning's edges, weights and graphs.</summary>
    public EdgePruning Pruning => _pruning;

    /// <summary>The graph the current epoch trains on.</summary>
    public CsrMatrix? TrainingGraph => _trainingGraph;

    /// <summary>Test hook: the kept edge indices of an epoch (1-based), replacing the seeded draw (fixture replays).</summary>
    public Func<int, int[]>? KeptEdgesHook { get; set; }

    public void BeginEpoch(int epoch, ulong seed)
    {
        if (_options.Dropout <= 0)
        {
            _trainingGraph = _adjacency;
            return;
        }

        var kept = KeptEdgesHook?.Invoke(epoch) ?? _pruning.Draw(_pruning.KeptCount(_options.Dropout), seed);
        _trainingGraph = _pruning.MaskedAdjacency(kept);
    }

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var graph = _trainingGraph ?? throw new InvalidOperationException("FREEDOM: BeginEpoch must run before the first step");
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);

        var (hu, hi) = Forward(t, graph);
        Profile?.Lap(ref clock, "propagation");
        var bpr = Bpr(t, hu, u, hi, p, n);
        var terms = new Dictionary<string, double> { ["bpr"] = bpr.Scalar };
        Variable? multimodal = null;
        // The reference projects every item; only the batch's rows enter the loss, so only they are projected.
        var (unique, slots) = _uniqueItems.Of(p, n);
        // Text before image, as the reference adds its terms.
        foreach (var (name, table, w, b, parameter) in Enumerable.Reverse(_modalities))
        {
            BeforeRowsRead?.Invoke(parameter, unique);
            var projected = t.LinearRows(table, unique, w, b);                    // T_m[unique]: n × d
            var term = Bpr(t, hu, u, projected, slots[0], slots[1]);
            terms[$"bpr_{name}"] = term.Scalar;
            multimodal = multimodal is null ? term : t.Add(multimodal, term);
        }

        var total = t.Add(bpr, t.Scale(multimodal!, (float)_options.RegWeight));
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    /// <summary>H_u (U × d) and H_i (I × d) over a user–item graph.</summary>
    public (Variable Users, Variable Items) Forward(Tape t, CsrMatrix graph)
    {
        var h = _items;
        for (var l = 0; l < _options.NMmLayers; l++)
        {
            h = t.SparseMultiply(_itemGraph, h);                                   // S h: I × d
        }

        var (hu, hi) = t.LightGcnPropagate(graph, _users, _items, _options.NUiLayers, isSymmetric: true);
        return (hu, t.Add(hi, h));
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings() => _tape.EvaluateWithoutGradient(t => Forward(t, _adjacency));

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    private static Variable Bpr(Tape t, Variable users, int[] u, Variable items, int[] p, int[] n) =>
        PairwiseLosses.LogSigmoidBpr(t, t.RowDot(users, u, items, p), t.RowDot(users, u, items, n));

    private static void Validate(FreedomOptions o)
    {
        if (o.EmbeddingSize < 1 || o.KnnK < 1 || o.MmImageWeight is < 0 or > 1
            || o.NMmLayers < 0 || o.NUiLayers < 0 || o.Dropout is < 0 or >= 1 || o.RegWeight < 0)
        {
            throw new ArgumentException($"invalid FREEDOM options: embedding_size {o.EmbeddingSize} (>= 1), knn_k {o.KnnK} (>= 1), mm_image_weight {o.MmImageWeight} (in [0, 1]), n_mm_layers {o.NMmLayers} (>= 0), n_ui_layers {o.NUiLayers} (>= 0), dropout {o.Dropout} (in [0, 1)), reg_weight {o.RegWeight} (>= 0)");
        }
    }
}
