// VBPR (He & McAuley, AAAI 2016) as MMRec's VBPR model computes it (baselines-reference §5).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;

namespace MultiRec.Models.Vbpr;

/// <summary>
/// <code>
/// X = text ‖ image                       I × F   raw features, frozen, not a parameter (text columns first)
/// Q = X Wᵀ + b                           I × d   item_linear (W: d × F xavier_normal_, b: zeros)
/// z = γ ‖ Q                              I × 2d  γ = i_embedding (I × d, xavier_uniform_)
/// p = u_embedding                        U × 2d  (xavier_uniform_)
/// s⁺_b = p[u_b] · z[p_b],  s⁻_b = p[u_b] · z[n_b]
/// L = −mean_b log(1e-10 + σ(s⁺_b − s⁻_b)) + λ (‖p[u]‖_F + ‖z[p]‖_F + ‖z[n]‖_F) / B
/// score(u, i) = p[u] · z[i]
/// </code>
/// The reference computes Q for every item on every batch; a training step here computes z only at the batch's
/// distinct items (the rows the loss reads), and scoring computes it for every item.
/// </summary>
internal sealed class Vbpr : IRecommenderModel
{
    private readonly VbprOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly Variable _features;    // X: I × F (constant)
    private readonly Variable _users;       // p: U × 2d
    private readonly Variable _itemIds;     // γ: I × d
    private readonly Variable _weight;      // W: d × F
    private readonly Variable _bias;        // b: 1 × d
    private readonly Tape _tape = new();
    private readonly UniqueRows _uniqueItems;   // the batch's distinct positive and negative items (scratch)

    public Vbpr(Dataset data, VbprOptions options, int seed)
    {
        if (options.EmbeddingSize < 1 || options.RegWeight < 0)
        {
            throw new ArgumentException($"invalid VBPR options: embedding_size {options.EmbeddingSize} (>= 1), reg_weight {options.RegWeight} (>= 0)");
        }

        _options = options;
        // Text before image (the reference concatenates (t_feat, v_feat)).
        var modalities = Modalities.Select(data, options.Modalities).Reverse().ToList();
        if (modalities.Count == 0)
        {
            throw new ArgumentException("VBPR needs at least one modality (image_feat.npy or text_feat.npy)");
        }

        ModalityNames = modalities;
        _features = Variable.Constant(Concatenate(data, modalities), "vbpr_features");
        var d = options.EmbeddingSize;
        var f = _features.Cols;
        var init = new Rng((ulong)seed);
        _users = _parameters.Add("u_embedding", ParameterSet.XavierUniform(data.Users, 2 * d, init), [data.Users, 2 * d]);
        _itemIds = _parameters.Add("i_embedding", ParameterSet.XavierUniform(data.Items, d, init), [data.Items, d]);
        _weight = _parameters.Add("item_linear.weight", ParameterSet.XavierNormal(d, f, init), [d, f]);
        _bias = _parameters.Add("item_linear.bias", new Tensor(1, d), [d]);
        _uniqueItems = new UniqueRows(data.Items);
    }

    public string Name => "VBPR";

    /// <summary>The modalities in the order of X's column blocks (text first).</summary>
    public IReadOnlyList<string> ModalityNames { get; }

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);

        var (unique, slots) = _uniqueItems.Of(p, n);
        var (ps, ns) = (slots[0], slots[1]);
        var z = ItemVectors(t, unique);                                            // z[unique]: m × 2d
        Profile?.Lap(ref clock, "projections");
        var positive = t.RowDot(_users, u, z, ps);                                 // s⁺: B × 1
        var negative = t.RowDot(_users, u, z, ns);                                 // s⁻: B × 1
        var bpr = PairwiseLosses.Bpr(t, positive, negative);
        var reg = PairwiseLosses.EmbLoss(t, t.GatherRows(_users, u), t.GatherRows(z, ps), t.GatherRows(z, ns));
        var total = t.Add(bpr, t.Scale(reg, (float)_options.RegWeight));
        var terms = new Dictionary<string, double> { ["bpr"] = bpr.Scalar, ["reg"] = reg.Scalar };
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings() => _tape.EvaluateWithoutGradient(t => (_users, ItemVectors(t)));

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>z = γ ‖ (X Wᵀ + b): I × 2d.</summary>
    private Variable ItemVectors(Tape t) => t.ConcatColumns(_itemIds, t.Linear(_features, _weight, _bias));

    /// <summary>The rows <paramref name="items"/> of z: m × 2d.</summary>
    private Variable ItemVectors(Tape t, int[] items) =>
        t.ConcatColumns(t.GatherRows(_itemIds, items), t.LinearRows(_features, items, _weight, _bias));

    /// <summary>The feature files' columns side by side in the given order (a copy: the dataset stays untouched).</summary>
    private static Tensor Concatenate(Dataset data, IReadOnlyList<string> modalities)
    {
        var tables = modalities.Select(m => data.Features[m]).ToList();
        var x = new Tensor(data.Items, tables.Sum(f => f.Cols));
        var offset = 0;
        foreach (var f in tables)
        {
            for (var i = 0; i < data.Items; i++)
            {
                f.Values.AsSpan(i * f.Cols, f.Cols).CopyTo(x.Row(i)[offset..]);
            }

            offset += f.Cols;
        }

        return x;
    }
}
