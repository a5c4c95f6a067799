// LATTICE (Zhang et al., ACM MM 2021) as MMRec's LATTICE model computes it (baselines-reference §10), cf_model lightgcn.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.Lattice;

/// <summary>
/// <code>
/// Ĥ_m = X_m W_mᵀ + b_m                 I × f    X_m = the trainable raw table of modality m (I × F_m), W_m: f × F_m
/// K_m = kNN_k(n(Ĥ_m) n(Ĥ_m)ᵀ)          I × I    top-k VALUES per row kept (indices constant), n = row L2 normalisation
/// w   = softmax(modal_weight)          2        (one modality: K = K_m, O = O_m, w unused)
/// N(S) = D^-½ S D^-½, D = diag(row sums of S)
/// O_m = N(kNN_k(n(X⁰_m) n(X⁰_m)ᵀ))       I × I    frozen: the initial raw features
/// A   = (1 − λ) N(Σ_m w_m K_m) + λ Σ_m w_m O_m          rebuilt on an epoch's first batch (and to score);
///                                                   the other batches use its values, detached
/// h   = A^{n_layers} E_i                I × d
/// H   = mean(E⁰, ĀE⁰, …, Ā^L E⁰), E⁰ = [E_u; E_i]   Ā = (D+I)^-1 (A_ui + I)  (row-stochastic, G3), L = |weight_size|
/// H_u = H[:U],  H_i = H[U:] + n(h)
/// loss = −mean_b logsigmoid(H_u[u]·H_i[p] − H_u[u]·H_i[n]) + reg · ½(‖H_u[u]‖² + ‖H_i[p]‖² + ‖H_i[n]‖²) / B_configured
/// score(u, i) = H_u[u] · H_i[i]   (A rebuilt from the current weights)
/// </code>
/// Every kNN graph and A are stored sparse on one shared pattern (≤ 4k entries per row, the union of the learned and
/// frozen neighbours): no items × items matrix exists; the similarity search holds one tile of rows at a time.
/// </summary>
internal sealed class Lattice : IRecommenderModel, IStepStateModel, IRowSparseModel
{
    private readonly LatticeOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _adjacency;          // Ā: (U+I) × (U+I), row-stochastic
    private readonly Variable _modalWeight;         // 1 × 2
    private readonly Variable _users;               // E_u: U × d
    private readonly Variable _items;               // E_i: I × d
    private readonly List<Modality> _modalities = [];
    private readonly int _layers;                   // UI propagation layers
    private readonly int[] _allItems;               // 0..I-1: the rows every rebuild projects
    private readonly Tape _tape = new();
    private int _epoch;                             // the current epoch (BeginEpoch)
    private int _graphEpoch = -1;                   // the epoch whose first batch built _graph
    private CsrMatrix? _pattern;                    // the shared item–item pattern of the last training rebuild
    private Tensor? _graph;                         // A's values on it (nnz × 1), detached

    public Lattice(Dataset data, LatticeOptions options, int seed)
    {
        Validate(options);
        _options = options;
        var names = Modalities.Select(data, options.Modalities);
        if (names.Count == 0)
        {
            throw new ArgumentException("LATTICE needs at least one modality (image_feat.npy or text_feat.npy)");
        }

        if (options.KnnK > data.Items)
        {
            throw new ArgumentException($"LATTICE: knn_k {options.KnnK} exceeds the {data.Items} items");
        }

        var d = options.EmbeddingSize;
        _layers = options.WeightSize.Count;
        _adjacency = RowStochasticAdjacency.Build(data.Users, data.Items, data.TrainUsers, data.TrainItems);
        var init = new Rng((ulong)seed);
        // The reference's state_dict order: the model's own modal_weight first, then the submodules.
        _modalWeight = _parameters.Add("modal_weight", Tensor.FromArray(1, 2, [0.5f, 0.5f]), [2]);
        _users = _parameters.Add("user_embedding.weight", ParameterSet.XavierUniform(data.Users, d, init), [data.Users, d]);
        _items = _parameters.Add("item_id_embedding.weight", ParameterSet.XavierUniform(data.Items, d, init), [data.Items, d]);
        var tables = new List<(Variable Table, ModelParameter Parameter)>();
        foreach (var name in names)
        {
            // The raw table takes over the dataset's array (no copy); the frozen graph reads it before training. Its
            // gradient buffer is left to the optimizer, which keeps it row-sparse: the table has a gradient only on
            // rebuild batches, so on the others Adam can defer its (momentum-only) update exactly.
            var features = data.Features[name];
            var table = _parameters.Add($"{name}_embedding.weight", new Tensor(features.Rows, features.Cols, features.Values), [features.Rows, features.Cols], allocateGrad: false);
            tables.Add((table, _parameters.All[^1]));
        }

        _allItems = Enumerable.Range(0, data.Items).ToArray();

        for (var m = 0; m < names.Count; m++)
        {
            var cols = tables[m].Table.Cols;
            var w = _parameters.Add($"{names[m]}_trs.weight", ParameterSet.LinearWeight(options.FeatEmbedDim, cols, init), [options.FeatEmbedDim, cols]);
            var b = _parameters.Add($"{names[m]}_trs.bias", ParameterSet.LinearBias(options.FeatEmbedDim, cols, init), [options.FeatEmbedDim]);
            var (neighbours, values) = FrozenGraph(tables[m].Table.Value, options.KnnK);
            _modalities.Add(new Modality(names[m], tables[m].Table, tables[m].Parameter, w, b, neighbours, values));
        }

        RowSparseParameters = _modalities.Select(m => m.Parameter).ToList();
    }

    public string Name => "LATTICE";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    /// <summary>The raw feature tables: read, and given a gradient, only when the item graph is rebuilt.</summary>
    public IReadOnlyList<ModelParameter> RowSparseParameters { get; }

    public Action<ModelParameter, int[]>? BeforeRowsRead { get; set; }

    /// <summary>The user–item propagation matrix Ā.</summary>
    public CsrMatrix Adjacency => _adjacency;

    /// <summary>The item graph A of the last training rebuild as (pattern, values), or null before the first.</summary>
    public (CsrMatrix Pattern, Tensor Values)? ItemGraph => _pattern is null ? null : (_pattern, _graph!);

    /// <summary>The frozen graph O_m of a modality as per-row neighbour lists (I × k, largest cosine first) and
    /// their normalised values.</summary>
    public (int[] Neighbours, float[] Values) FrozenItemGraph(string modality)
    {
        var m = _modalities.First(x => x.Name == modality);
        return (m.FrozenNeighbours, m.FrozenValues);
    }

    /// <summary>Test hook: rebuild A on every batch (finite-difference checks of the whole loss).</summary>
    internal bool RebuildEveryBatch { get; set; }

    public void BeginEpoch(int epoch, ulong seed) => _epoch = epoch;

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);
        (CsrMatrix Pattern, Variable Values) graph;
        if (RebuildEveryBatch || _graph is null || _graphEpoch != _epoch)
        {
            graph = BuildItemGraph(t);
            (_pattern, _graph, _graphEpoch) = (graph.Pattern, graph.Values.Value.Clone(), _epoch);
        }
        else
        {
            graph = (_pattern!, Variable.Constant(_graph, "item_adj"));
        }

        var (hu, hi) = Forward(t, graph);
        Profile?.Lap(ref clock, "propagation");

        var ug = t.GatherRows(hu, u);                                           // B × d
        var pg = t.GatherRows(hi, p);
        var ng = t.GatherRows(hi, n);
        var bpr = PairwiseLosses.LogSigmoidBpr(t, t.RowDot(ug, pg), t.RowDot(ug, ng));
        var squares = t.Add(t.Add(HalfSquaredNorm(t, ug), HalfSquaredNorm(t, pg)), HalfSquaredNorm(t, ng));
        var reg = t.Scale(t.Scale(squares, 1f / batch.Capacity), (float)_options.RegWeight);
        var total = t.Add(bpr, reg);
        var terms = new Dictionary<string, double> { ["bpr"] = bpr.Scalar, ["reg"] = reg.Scalar };
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    /// <summary>H_u (U × d) and H_i (I × d) over A built from the current weights (what scoring uses).</summary>
    public (Variable Users, Variable Items) Forward(Tape t) => Forward(t, BuildItemGraph(t));

    private (Variable Users, Variable Items) Forward(Tape t, (CsrMatrix Pattern, Variable Values) itemGraph)
    {
        var (pattern, graph) = itemGraph;
        var h = _items;
        for (var l = 0; l < _options.NLayers; l++)
        {
            h = t.SparseValuesMultiply(pattern, graph, h);                    // A h: I × d
        }

        var (hu, hi) = t.LightGcnPropagate(_adjacency, _users, _items, _layers);
        return (hu, t.Add(hi, t.L2NormalizeRows(h)));
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings() => _tape.EvaluateWithoutGradient(Forward);

    /// <summary>The training item graph and the epoch that built it (integers stored exactly as floats, below 2^24).</summary>
    public IReadOnlyList<(string Name, Tensor Value)> ExportStepState()
    {
        if (_pattern is null)
        {
            return [];
        }

        return
        [
            ("item_adj.row_ptr", Tensor.FromArray(1, _pattern.RowPtr.Length, _pattern.RowPtr.Select(x => (float)x).ToArray())),
            ("item_adj.col_idx", Tensor.FromArray(1, _pattern.NonZeros, _pattern.ColIdx.Select(x => (float)x).ToArray())),
            ("item_adj.values", _graph!),
            ("item_adj.epoch", Tensor.FromArray(1, 1, [_graphEpoch])),
        ];
    }

    public void ImportStepState(Func<string, Tensor?> find)
    {
        if (find("item_adj.row_ptr") is not { } rowPtr || find("item_adj.col_idx") is not { } colIdx
            || find("item_adj.values") is not { } values || find("item_adj.epoch") is not { } epoch)
        {
            (_pattern, _graph, _graphEpoch) = (null, null, -1);
            return;
        }

        var items = _items.Rows;
        var rows = rowPtr.AsSpan().ToArray().Select(x => (int)x).ToArray();
        var cols = colIdx.AsSpan().ToArray().Select(x => (int)x).ToArray();
        if (rows.Length != items + 1 || rows[^1] != cols.Length || values.Length != cols.Length || cols.Any(c => (uint)c >= (uint)items))
        {
            throw new ArgumentException("LATTICE: the checkpoint's item graph does not fit the model's items");
        }

        _pattern = new CsrMatrix(items, items, rows, cols, new float[cols.Length]);
        _graph = Tensor.FromArray(cols.Length, 1, values.AsSpan());
        _graphEpoch = (int)epoch.Data[0];
    }

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>A on the union pattern of this rebuild's learned and the frozen neighbours (values nnz × 1).</summary>
    private (CsrMatrix Pattern, Variable Values) BuildItemGraph(Tape t)
    {
        var k = _options.KnnK;
        var unit = new List<Variable>();
        var lists = new List<int[]>();
        foreach (var m in _modalities)
        {
            BeforeRowsRead?.Invoke(m.Parameter, _allItems);
            var projected = t.LinearRows(m.Table, _allItems, m.Weight, m.Bias);  // Ĥ_m: I × f
            var normalised = t.L2NormalizeRows(projected);
            unit.Add(normalised);
            lists.Add(ItemKnnGraph.Neighbours(normalised.Value, k));
        }

        lists.AddRange(_modalities.Select(m => m.FrozenNeighbours));
        var (pattern, slots) = KnnPatternUnion.Build(_items.Rows, k, lists);
        var count = _modalities.Count;
        Variable? learned = null, frozen = null;
        var w = count > 1 ? t.Softmax(_modalWeight) : null;
        for (var m = 0; m < count; m++)
        {
            var knn = t.SampledGram(pattern, unit[m], slots[m]);              // K_m: nnz × 1
            var original = Variable.Constant(Scatter(pattern.NonZeros, slots[count + m], _modalities[m].FrozenValues), "original_adj");
            if (w is not null)
            {
                knn = t.ScaleByEntry(knn, w, m);
                original = t.ScaleByEntry(original, w, m);
            }

            learned = learned is null ? knn : t.Add(learned, knn);
            frozen = frozen is null ? original : t.Add(frozen, original);
        }

        var lambda = _options.LambdaCoeff;
        var graph = t.Add(t.Scale(t.SymmetricNormalize(pattern, learned!), (float)(1 - lambda)), t.Scale(frozen!, (float)lambda));
        return (pattern, graph);
    }

    /// <summary>O_m: the normalised top-k cosine graph of the initial features, as (neighbour lists, values).</summary>
    private static (int[] Neighbours, float[] Values) FrozenGraph(Tensor features, int k)
    {
        var t = new Tape();
        using (t.NoGrad())
        {
            var unit = t.L2NormalizeRows(Variable.Constant(features, "features"));
            var neighbours = ItemKnnGraph.Neighbours(unit.Value, k);
            var (pattern, slots) = KnnPatternUnion.Build(features.Rows, k, [neighbours]);
            var normalised = t.SymmetricNormalize(pattern, t.SampledGram(pattern, unit));
            var values = new float[neighbours.Length];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = normalised.Value.Data[slots[0][j]];
            }

            return (neighbours, values);
        }
    }

    private static Tensor Scatter(int length, int[] slots, float[] values)
    {
        var dense = new Tensor(length, 1);
        for (var j = 0; j < slots.Length; j++)
        {
            dense.Data[slots[j]] = values[j];
        }

        return dense;
    }

    private static Variable HalfSquaredNorm(Tape t, Variable x) => t.Scale(t.SumAll(t.Mul(x, x)), 0.5f);

    private static void Validate(LatticeOptions o)
    {
        if (o.EmbeddingSize < 1 || o.FeatEmbedDim < 1 || o.KnnK < 1 || o.LambdaCoeff is < 0 or > 1 || o.NLayers < 0 || o.RegWeight < 0)
        {
            throw new ArgumentException($"invalid LATTICE options: embedding_size {o.EmbeddingSize} (>= 1), feat_embed_dim {o.FeatEmbedDim} (>= 1), knn_k {o.KnnK} (>= 1), lambda_coeff {o.LambdaCoeff} (in [0, 1]), n_layers {o.NLayers} (>= 0), reg_weight {o.RegWeight} (>= 0)");
        }

        if (o.CfModel != "lightgcn")
        {
            throw new ArgumentException($"LATTICE: cf_model '{o.CfModel}' is not implemented (lightgcn, the reference's setting)");
        }
    }

    private sealed record Modality(string Name, Variable Table, ModelParameter Parameter, Variable Weight, Variable Bias, int[] FrozenNeighbours, float[] FrozenValues);
}
