// BM3 (Zhou et al., WWW 2023): LightGCN backbone + modality projections + shared predictor, trained with
// negative-free bootstrap losses against dropout targets under stop-gradient. The math lives in this file.
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models;

/// <summary>
/// BM3 exactly as the MMRec reference computes it (bm3-reference.md §1):
/// <code>
/// H = mean(E⁰, ÂE⁰, …, Â^L E⁰),  E⁰ = [E_u; E_i]            (U+I) × d   LightGCN, no transform, no non-linearity
/// H_u = H[:U],  H_i = H[U:] + E_i                           residual on items only
/// h_m = e_m W_mᵀ + b_m                                      I × d       per modality m ∈ {image, text}
/// targets (no gradient): T_x = dropout_p(x) for x ∈ {H_u, H_i, h_m}
/// L_rec   = (1 − cos(f_p(H_u)[u_b], T_i[i_b])) + (1 − cos(f_p(H_i)[i_b], T_u[u_b]))     (batch means)
/// L_align = Σ_m 1 − cos(f_p(h_m)[i_b], T_i[i_b]);   L_mask = Σ_m 1 − cos(f_p(h_m)[i_b], T_m[i_b])
/// L = L_rec + reg_weight·(‖H_u‖_F + ‖H_i‖_F)/I + cl_weight·(L_align + L_mask)
/// score(u, i) = f_p(H_u)[u] · f_p(H_i)[i]
/// </code>
/// Only the batch's rows of the predictor outputs and the batch's unique items of each projection are computed:
/// the loss reads nothing else, so the gradients are identical to the all-items computation.
/// </summary>
internal sealed class Bm3 : IRecommenderModel, IRowSparseModel
{
    private readonly Bm3Options _options;
    private readonly int _users;
    private readonly int _items;
    private readonly CsrMatrix _adjacency;       // Â: (U+I) × (U+I), symmetric
    private readonly Variable _userEmbedding;   // E_u: U × d
    private readonly Variable _itemEmbedding;   // E_i: I × d
    private readonly Variable _predictorW;      // f_p: d × d (out × in)
    private readonly Variable _predictorB;      // 1 × d
    private readonly List<Modality> _modalities = [];
    private readonly ParameterSet _parameters = new();
    private readonly Tape _tape = new();
    private readonly UniqueRows _uniqueItems;   // the batch's distinct items (scratch)
    private ulong _stepSeed;                    // the current step's seed; dropout target k uses stream k of it
    private ulong _targetsDrawn;

    public Bm3(Dataset data, Bm3Options options, int seed)
    {
        Validate(options);
        _options = options;
        _users = data.Users;
        _items = data.Items;
        var d = options.EmbeddingSize;
        _adjacency = NormalizedAdjacency.Build(data.Train);
        var init = new Rng((ulong)seed);

        _userEmbedding = AddParameter("user_embedding.weight", ParameterSet.XavierUniform(_users, d, init), [_users, d], trainable: true);
        _itemEmbedding = AddParameter("item_id_embedding.weight", ParameterSet.XavierUniform(_items, d, init), [_items, d], trainable: true);
        foreach (var name in Modalities.Select(data, options.Modalities))
        {
            var features = data.Features[name];
            // The raw table takes over the dataset's feature array (no copy: it is the largest allocation of the
            // run); with train_raw_features the dataset's matrix therefore moves with training.
            var raw = new Tensor(features.Rows, features.Cols, features.Values);
            // Its gradient buffer is left to the optimizer, which may keep it row-sparse.
            var table = AddParameter($"{name}_embedding.weight", raw, [features.Rows, features.Cols], options.TrainRawFeatures, allocateGrad: false);
            var tableParameter = _parameters.All[^1];
            var w = AddParameter($"{name}_trs.weight", ParameterSet.XavierNormal(d, features.Cols, init), [d, features.Cols], trainable: true);
            var b = AddParameter($"{name}_trs.bias", ParameterSet.LinearBias(d, features.Cols, init), [d], trainable: true);
            _modalities.Add(new Modality(name, table, w, b, tableParameter));
        }

        _predictorW = AddParameter("predictor.weight", ParameterSet.XavierNormal(d, d, init), [d, d], trainable: true);
        _predictorB = AddParameter("predictor.bias", ParameterSet.LinearBias(d, d, init), [d], trainable: true);
        RowSparseParameters = _modalities.Where(m => m.Parameter.Trainable).Select(m => m.Parameter).ToList();
        _uniqueItems = new UniqueRows(_items);
    }

    public string Name => "BM3";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    /// <summary>Names of the modalities in use (image before text, as the reference's v/t order).</summary>
    public IReadOnlyList<string> ModalityNames => _modalities.Select(m => m.Name).ToList();

    /// <summary>Test hook: explicit 0/1 dropout masks (full shapes U×d or I×d) per target "u", "i" or a modality
    /// name; replaces the seeded dropout so PyTorch fixtures can be replayed. Called once per target per step.</summary>
    public Func<string, Tensor>? TargetMaskHook { get; set; }

    /// <summary>The raw feature tables (trainable ones): read only at the batch's unique items.</summary>
    public IReadOnlyList<ModelParameter> RowSparseParameters { get; }

    public Action<ModelParameter, int[]>? BeforeRowsRead { get; set; }

    /// <summary>When set, ForwardBackward adds the time of each phase to it (for `multirec bench`).</summary>
    public StepProfile? Profile { get; set; }

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var users = batch.Users;
        var items = batch.Items;
        if (users.Length != items.Length || users.Length == 0)
        {
            throw new ArgumentException("a batch needs the same positive number of users and items");
        }

        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        _stepSeed = batch.StepSeed;
        _targetsDrawn = 0;
        var u = users.ToArray();
        var i = items.ToArray();

        // 1. Graph propagation: H_u (U × d), H_i (I × d).
        var (hu, hi) = Propagate(t);
        Profile?.Lap(ref clock, "propagation");

        // 2. Projections: the predictor on the batch rows (B × d), and per modality h_m on the batch's unique
        //    items (all items when replaying full masks) followed by the predictor on the batch rows.
        var pu = t.LinearRows(hu, u, _predictorW, _predictorB);                 // f_p(H_u)[u_b]: B × d
        var pi = t.LinearRows(hi, i, _predictorW, _predictorB);                 // f_p(H_i)[i_b]: B × d
        var (unique, slots) = TargetMaskHook is null ? UniqueItems(i) : (AllItems(), i);
        if (BeforeRowsRead is { } beforeRead)
        {
            foreach (var m in _modalities)
            {
                beforeRead(m.Parameter, unique);
            }
        }

        var projected = new List<(Modality M, Variable H, Variable P)>(_modalities.Count);
        foreach (var m in _modalities)
        {
            var h = t.LinearRows(m.Table, unique, m.Weight, m.Bias);             // h_m[unique]: n × d
            projected.Add((m, h, t.LinearRows(h, slots, _predictorW, _predictorB))); // f_p(h_m)[i_b]: B × d
        }

        Profile?.Lap(ref clock, "projections");

        // 3. Losses against stop-gradient dropout targets T_u[u_b], T_i[i_b], T_m[i_b] (B × d).
        var tu = Target(t, hu, u, "u");
        var ti = Target(t, hi, i, "i");
        var lossRecU = OneMinusMeanCos(t, pu, ti);
        var lossRecI = OneMinusMeanCos(t, pi, tu);
        var reg = t.Scale(t.Add(t.FrobeniusNorm(hu), t.FrobeniusNorm(hi)), 1f / _items); // (‖H_u‖_F + ‖H_i‖_F) / I
        var total = t.Add(t.Add(lossRecU, lossRecI), t.Scale(reg, (float)_options.RegWeight));
        var terms = new Dictionary<string, double>
        {
            ["rec_u"] = lossRecU.Scalar,
            ["rec_i"] = lossRecI.Scalar,
            ["reg"] = reg.Scalar,
        };
        Variable? multimodal = null;
        foreach (var (m, h, pm) in projected)
        {
            var tm = Target(t, h, slots, m.Name);
            var align = OneMinusMeanCos(t, pm, ti);                              // inter-modality alignment
            var mask = OneMinusMeanCos(t, pm, tm);                               // intra-modality masked loss
            terms[$"align_{m.Name}"] = align.Scalar;
            terms[$"mask_{m.Name}"] = mask.Scalar;
            var sum = t.Add(align, mask);
            multimodal = multimodal is null ? sum : t.Add(multimodal, sum);
        }

        if (multimodal is not null)
        {
            total = t.Add(total, t.Scale(multimodal, (float)_options.ClWeight));
        }

        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");

        // 4. Backward through everything recorded.
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings()
    {
        var t = _tape;
        t.Reset();
        using (t.NoGrad())
        {
            var (hu, hi) = Propagate(t);
            var d = _options.EmbeddingSize;
            var users = new Tensor(_users, d, GC.AllocateUninitializedArray<float>(_users * d)); // f_p(H_u): U × d
            var items = new Tensor(_items, d, GC.AllocateUninitializedArray<float>(_items * d)); // f_p(H_i): I × d
            LinearKernels.Apply(hu.Value, _predictorW.Value, _predictorB.Value, users);
            LinearKernels.Apply(hi.Value, _predictorW.Value, _predictorB.Value, items);
            t.Reset();
            return (users, items);
        }
    }

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>The online representations H_u (U × d) and H_i (I × d, with the item residual).</summary>
    public (Variable Users, Variable Items) Propagate(Tape t)
    {
        // H = mean(E⁰, ÂE⁰, …, Â^L E⁰) over E⁰ = [E_u; E_i], split into H[:U] (U × d) and H[U:] (I × d), fused
        // into one op that keeps no layer output.
        var (hu, h) = t.LightGcnPropagate(_adjacency, _userEmbedding, _itemEmbedding, _options.NLayers, isSymmetric: true);
        var hi = t.Add(h, _itemEmbedding);                                      // residual on items
        return (hu, hi);
    }

    private Variable Target(Tape t, Variable full, int[] rows, string which)
    {
        var seed = NextSeed();
        if (TargetMaskHook is { } hook)
        {
            return t.GatherRows(t.DropoutWithMask(full.Detach(), hook(which), _options.Dropout), rows);
        }

        return t.GatherRowsOfDropout(full.Detach(), rows, _options.Dropout, seed);
    }

    private static Variable OneMinusMeanCos(Tape t, Variable a, Variable b) =>
        t.ConstantMinus(1f, t.MeanAll(t.CosineSimilarityRows(a, b)));

    private (int[] Unique, int[] Slots) UniqueItems(int[] items)
    {
        var (unique, slots) = _uniqueItems.Of(items);
        return (unique, slots[0]);
    }

    private int[] AllItems() => Enumerable.Range(0, _items).ToArray();

    private ulong NextSeed() => Seeds.Derive(_stepSeed, _targetsDrawn++);

    private Variable AddParameter(string name, Tensor value, int[] shape, bool trainable, bool allocateGrad = true) =>
        _parameters.Add(name, value, shape, trainable, allocateGrad);

    private static void Validate(Bm3Options o)
    {
        if (o.EmbeddingSize < 1 || o.NLayers < 0 || o.Dropout is < 0 or >= 1 || o.RegWeight < 0 || o.ClWeight < 0)
        {
            throw new ArgumentException($"invalid BM3 options: embedding_size {o.EmbeddingSize} (>= 1), n_layers {o.NLayers} (>= 0), dropout {o.Dropout} (in [0, 1)), reg_weight {o.RegWeight} (>= 0), cl_weight {o.ClWeight} (>= 0)");
        }
    }

    private sealed record Modality(string Name, Variable Table, Variable Weight, Variable Bias, ModelParameter Parameter);
}
