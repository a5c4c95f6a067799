// MMGCN (Wei et al., ACM MM 2019) as MMRec's MMGCN model computes it (baselines-reference §7).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.Mmgcn;

/// <summary>
/// <code>
/// R_m = branch_m(X_m)                      N × d   one graph branch per modality (MmgcnBranch), N = U + I
/// R = mean_m R_m                           N × d   cached as `result` for scoring
/// s⁺_b = R[u_b] · R[U + p_b],  s⁻_b = R[u_b] · R[U + n_b]
/// L = −mean_b log σ(s⁺_b − s⁻_b) + λ [ mean(E_id[u]² + E_id[U + i]²) + mean(P_image²) ]
///     (u, i: users and items interleaved, 2B rows; the image term only with an image branch)
/// score(u, i) = R[u] · R[U + i]  with R the cache of the last training forward (stale_scoring) or recomputed
/// </code>
/// As in the reference, the ID embedding E_id (N × d) and each branch's preference table P_m are random and never
/// trained, so the λ term adds a constant and no gradient. They are not parameters of the reference (absent from its
/// state_dict); here they are frozen checkpoint tensors, `id_embedding` and `v_gcn.preference` / `t_gcn.preference`,
/// beside the scoring cache `result` (initially random, as the reference's), so that a checkpoint restores the
/// scores exactly.
/// </summary>
internal sealed class Mmgcn : IRecommenderModel
{
    private readonly MmgcnOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _mean;               // mean over in-neighbours: N × N
    private readonly List<(MmgcnBranch Branch, Variable Preference)> _branches = [];
    private readonly Variable _idEmbedding;         // E_id: N × d (frozen)
    private readonly ScoringCache _result;          // R of the last training forward: N × d (frozen, overwritten)
    private readonly Variable? _imagePreference;    // P_image, read by the λ term
    private readonly int _users;
    private readonly Tape _tape = new();

    public Mmgcn(Dataset data, MmgcnOptions options, int seed)
    {
        if (options.EmbeddingSize < 1 || options.DimLatent < 1 || options.RegWeight < 0)
        {
            throw new ArgumentException($"invalid MMGCN options: embedding_size {options.EmbeddingSize} (>= 1), dim_latent {options.DimLatent} (>= 1), reg_weight {options.RegWeight} (>= 0)");
        }

        var names = Modalities.Select(data, options.Modalities);
        if (names.Count == 0)
        {
            throw new ArgumentException("MMGCN needs at least one modality: it has one graph branch per feature file (image_feat.npy, text_feat.npy) and none was found or selected");
        }

        _options = options;
        _users = data.Users;
        var d = options.EmbeddingSize;
        var n = data.Users + data.Items;
        _mean = MeanAggregation.Bipartite(data.Train);
        var init = new Rng((ulong)seed);
        var fixedTensors = new List<(string Name, Tensor Value)>();
        // Parameters in the reference's state_dict order (v_gcn.*, then t_gcn.*), then the frozen tensors.
        var branches = names.Select(name =>
            new MmgcnBranch(Prefix(name), AsTensor(data.Features[name]), data.Users, d, name == "image" ? options.DimLatent : null, _parameters, fixedTensors, init)).ToList();
        ModalityNames = names;
        fixedTensors.Add(("id_embedding", ParameterSet.XavierNormal(n, d, init)));
        var initialResult = ParameterSet.XavierNormal(n, d, init);
        var frozen = fixedTensors.ToDictionary(f => f.Name, f => _parameters.Add(f.Name, f.Value, [f.Value.Rows, f.Value.Cols], trainable: false));
        for (var k = 0; k < branches.Count; k++)
        {
            _branches.Add((branches[k], frozen[Prefix(names[k]) + ".preference"]));
        }

        _idEmbedding = frozen["id_embedding"];
        _result = ScoringCache.Stacked(_parameters, "result", initialResult, data.Users);
        _imagePreference = frozen.GetValueOrDefault("v_gcn.preference");
    }

    public string Name => "MMGCN";

    /// <summary>The modalities with a graph branch, in the reference's order (image first).</summary>
    public IReadOnlyList<string> ModalityNames { get; }

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    /// <summary>The scoring cache R (N × d): the representation of the last training forward pass.</summary>
    public Tensor Result => _result.Value;

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);
        var r = Forward(t);
        _result.Store(r.Value);
        Profile?.Lap(ref clock, "propagation");
        var pItems = Shift(p);
        var nItems = Shift(n);
        var bpr = PairwiseLosses.LogOfSigmoidBpr(t, t.RowDot(r, u, r, pItems), t.RowDot(r, u, r, nItems));
        var reg = Regulariser(u, pItems, nItems);
        var total = bpr.Scalar + (float)(_options.RegWeight * reg);
        var terms = new Dictionary<string, double> { ["bpr"] = bpr.Scalar, ["reg"] = reg };
        Profile?.Lap(ref clock, "losses");
        t.Backward(bpr);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, total);
    }

    /// <summary>R = mean over the branches of their representations: N × d.</summary>
    public Variable Forward(Tape t)
    {
        var reps = _branches.Select(b => b.Branch.Forward(t, _mean, b.Preference, _idEmbedding)).ToList();
        return reps.Count == 1 ? reps[0] : t.MeanOf(reps);
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings()
    {
        if (_options.StaleScoring)
        {
            return _result.Read();
        }

        var t = _tape;
        t.Reset();
        using (t.NoGrad())
        {
            var result = Split(Forward(t).Value);
            t.Reset();
            return result;
        }
    }

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>mean(E_id[u]² + E_id[U + i]²) over the 2B interleaved rows, plus mean(P_image²): float32 as the
    /// reference's value (it has no gradient, so it is computed off the tape).</summary>
    private float Regulariser(int[] users, int[] positives, int[] negatives)
    {
        var e = _idEmbedding.Value;
        double sum = 0;
        for (var b = 0; b < users.Length; b++)
        {
            sum += (2.0 * SumOfSquares(e, users[b], 1)) + SumOfSquares(e, positives[b], 1) + SumOfSquares(e, negatives[b], 1);
        }

        var value = (float)(sum / (2.0 * users.Length * e.Cols));
        if (_imagePreference is { } preference)
        {
            var p = preference.Value;
            value += (float)(SumOfSquares(p, 0, p.Rows) / p.Length);
        }

        return value;
    }

    /// <summary>Σ x² over rows [start, start + count), in double.</summary>
    private static double SumOfSquares(Tensor x, int start, int count)
    {
        double sum = 0;
        for (var r = start; r < start + count; r++)
        {
            foreach (var v in x.Row(r))
            {
                sum += (double)v * v;
            }
        }

        return sum;
    }

    /// <summary>The reference's module name of a modality's branch.</summary>
    private static string Prefix(string modality) => modality == "image" ? "v_gcn" : "t_gcn";

    /// <summary>The feature table as a tensor over the dataset's array (read only, never written).</summary>
    private static Tensor AsTensor(FeatureMatrix f) => new(f.Rows, f.Cols, f.Values);

    private int[] Shift(int[] items) => items.Select(i => _users + i).ToArray();

    private (Tensor Users, Tensor Items) Split(Tensor r)
    {
        var users = new Tensor(_users, r.Cols);
        var items = new Tensor(r.Rows - _users, r.Cols);
        r.AsSpan()[..users.Length].CopyTo(users.AsSpan());
        r.AsSpan()[users.Length..].CopyTo(items.AsSpan());
        return (users, items);
    }
}
