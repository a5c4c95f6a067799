// GRCN (Wei et al., ACM MM 2020) as MMRec's GRCN model computes it (baselines-reference §8).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.Grcn;

/// <summary>
/// <code>
/// G: the user–item graph over N = U + I nodes, both directions (the reference's E₂); row k holds the edges j → k
/// per modality m (image, then text), the reference's CGCN:
///   F_m  = normalize(lrelu(f_m M_mᵀ + b_m))                  I × d_C   f_m: raw features (constant)
///   P_m  = normalize⁴(preference_m)                          U × d_C   four normalisations (the routing loop's
///                                                                      attention only reaches item rows)
///   X_m  = [P_m ; F_m]                                       N × d_C
///   α^m_e = softmax over the edges into k of ⟨X_m[k], X_m[j]⟩    per edge e = (j → k)
///   C_m  = X_m + Σ_{e into k} α^m_e X_m[j]                   N × d_C
/// w_e   = relu(max_m α^m_e · conf[j, m])                     the source node's confidence (N × M parameter)
/// X0 = normalize(id_embedding),  X1 = Σ_e w_e X0[j],  X2 = Σ_e w_e X1[j],  ID = X0 + X1 + X2     N × d
/// R   = ID ‖ C_image ‖ C_text                                N × (d + M d_C), cached as `result` for scoring
/// L = −mean_b log σ(R[u_b]·R[U+p_b] − R[u_b]·R[U+n_b])
///     + λ [ mean(E[u]² + E[i]²) + mean(P_image²) + Σ_m mean(P_m[u]²) ]   (u, i: users and items interleaved, 2B
///       rows; E, P the raw parameters; the whole-table image term only with an image modality)
/// </code>
/// With text only the reference fails (it assigns the text representation to a misspelt variable and concatenates
/// None); here the content part is then C_text, its evident intent. The initial scoring cache is the reference's
/// random N × d tensor in the first d columns and zeros in the content columns, so that scores before the first
/// step equal the reference's.
/// </summary>
internal sealed class Grcn : IRecommenderModel
{
    private readonly GrcnOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _graph;                  // G: N × N pattern, row = target, column = source
    private readonly List<Branch> _branches = [];
    private readonly Variable _confidence;              // conf: N × M (model_specific_conf)
    private readonly Variable _idEmbedding;             // E: N × d
    private readonly ScoringCache _result;              // R of the last training forward: N × (d + M d_C) (frozen)
    private readonly int _users;
    private readonly Tape _tape = new();

    public Grcn(Dataset data, GrcnOptions options, int seed)
    {
        if (options.EmbeddingSize < 1 || options.LatentEmbedding < 1 || options.NLayers < 0 || options.RegWeight < 0)
        {
            throw new ArgumentException($"invalid GRCN options: embedding_size {options.EmbeddingSize} (>= 1), latent_embedding {options.LatentEmbedding} (>= 1), n_layers {options.NLayers} (>= 0), reg_weight {options.RegWeight} (>= 0)");
        }

        var names = Modalities.Select(data, options.Modalities);
        if (names.Count == 0)
        {
            throw new ArgumentException("GRCN needs at least one modality: it has one content graph per feature file (image_feat.npy, text_feat.npy) and none was found or selected");
        }

        _options = options;
        _users = data.Users;
        ModalityNames = names;
        var d = options.EmbeddingSize;
        var dc = options.LatentEmbedding;
        var n = data.Users + data.Items;
        // The reference's E₂ as a pattern: every training pair once, in both directions (its values are unused).
        _graph = NormalizedAdjacency.Build(data.Train);
        var init = new Rng((ulong)seed);

        // Drawn in the reference's construction order, registered in its state_dict order (model_specific_conf first).
        var idEmbedding = ParameterSet.XavierNormal(n, d, init);
        var branches = names.Select(name =>
        {
            var features = data.Features[name];
            return (Name: name, Features: features, Preference: ParameterSet.XavierNormal(data.Users, dc, init),
                Weight: ParameterSet.XavierNormal(dc, features.Cols, init), Bias: ParameterSet.LinearBias(dc, features.Cols, init));
        }).ToList();
        var confidence = ParameterSet.XavierNormal(n, names.Count, init);
        var initial = new Tensor(n, d + (names.Count * dc));
        var random = ParameterSet.XavierNormal(n, d, init);
        for (var r = 0; r < n; r++)
        {
            random.Row(r).CopyTo(initial.Row(r));
        }

        _confidence = _parameters.Add("model_specific_conf", confidence, [n, names.Count]);
        _idEmbedding = _parameters.Add("id_gcn.id_embedding", idEmbedding, [n, d]);
        foreach (var b in branches)
        {
            var prefix = b.Name == "image" ? "v_gcn" : "t_gcn";
            _branches.Add(new Branch(
                b.Name,
                Variable.Constant(new Tensor(b.Features.Rows, b.Features.Cols, b.Features.Values), $"{b.Name}_feat"),
                _parameters.Add($"{prefix}.preference", b.Preference, [data.Users, dc]),
                _parameters.Add($"{prefix}.MLP.weight", b.Weight, [dc, b.Features.Cols]),
                _parameters.Add($"{prefix}.MLP.bias", b.Bias, [dc])));
        }

        _result = ScoringCache.Stacked(_parameters, "result", initial, data.Users);
    }

    public string Name => "GRCN";

    /// <summary>The modalities with a content graph, in the reference's order (image first).</summary>
    public IReadOnlyList<string> ModalityNames { get; }

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public BatchKind Batches => BatchKind.PairsWithNegatives;

    public StepProfile? Profile { get; set; }

    /// <summary>The scoring cache R (N × (d + M d_C)): the representation of the last training forward pass.</summary>
    public Tensor Result => _result.Value;

    /// <summary>The user–item graph G (N × N, both directions; row = target node, column = source node): the
    /// positions the attention weights α and the edge weights w of <see cref="Forward"/> are stored at.</summary>
    public CsrMatrix Graph => _graph;

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var (u, p, n) = batch.Triples(Name);
        var r = Forward(t).Representation;
        _result.Store(r.Value);
        Profile?.Lap(ref clock, "propagation");

        var pItems = p.Select(i => _users + i).ToArray();
        var nItems = n.Select(i => _users + i).ToArray();
        var bpr = PairwiseLosses.LogOfSigmoidBpr(t, t.RowDot(r, u, r, pItems), t.RowDot(r, u, r, nItems));

        // users and items interleaved as the reference's repeat_interleave / stack().t(): u0 u0 u1 u1 …, p0 n0 p1 n1 …
        var users2 = new int[2 * u.Length];
        var items2 = new int[2 * u.Length];
        for (var b = 0; b < u.Length; b++)
        {
            users2[2 * b] = users2[(2 * b) + 1] = u[b];
            items2[2 * b] = pItems[b];
            items2[(2 * b) + 1] = nItems[b];
        }

        var reg = Regulariser(t, users2, items2);
        var total = t.Add(bpr, t.Scale(reg, (float)_options.RegWeight));
        var terms = new Dictionary<string, double> { ["bpr"] = bpr.Scalar, ["reg"] = reg.Scalar };
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    /// <summary>The representation R (N × (d + M d_C)), each modality's attention weights α^m (nnz(G) × 1) and the
    /// edge weights w (nnz(G) × 1), the last two at the positions of <see cref="Graph"/>.</summary>
    public (Variable Representation, IReadOnlyList<Variable> Attention, Variable EdgeWeights) Forward(Tape t)
    {
        Variable? content = null;
        Variable? attention = null;
        var alphas = new List<Variable>(_branches.Count);
        foreach (var b in _branches)
        {
            var features = t.L2NormalizeRows(t.LeakyRelu(t.Linear(b.Features, b.Weight, b.Bias)));      // F_m: I × d_C
            var preference = t.L2NormalizeRows(b.Preference);                                            // P_m: U × d_C
            for (var k = 0; k < _options.NLayers; k++)
            {
                preference = t.L2NormalizeRows(preference);   // routing: P + 0 (no edge reaches a user), renormalised
            }

            var x = t.ConcatRows(preference, features);                                                  // X_m: N × d_C
            var alpha = t.PatternRowSoftmax(_graph, t.SampledGram(_graph, x));                           // α^m: nnz × 1
            var c = t.Add(x, t.SparseValuesMultiply(_graph, alpha, x));                                  // C_m: N × d_C
            alphas.Add(alpha);
            content = content is null ? c : t.ConcatColumns(content, c);
            attention = attention is null ? alpha : t.ConcatColumns(attention, alpha);
        }

        // w = relu(max_m α^m · conf[source, m]): nnz × 1
        var sourceConfidence = t.GatherRows(_confidence, _graph.ColIdx);                                 // nnz × M
        var w = t.LeakyRelu(t.MaxColumns(t.Mul(attention!, sourceConfidence)), 0f);

        var x0 = t.L2NormalizeRows(_idEmbedding);                                                        // N × d
        var x1 = t.SparseValuesMultiply(_graph, w, x0);
        var x2 = t.SparseValuesMultiply(_graph, w, x1);
        var id = t.Add(t.Add(x0, x1), x2);
        return (t.ConcatColumns(id, content!), alphas, w);
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings()
    {
        if (_options.StaleScores)
        {
            return _result.Read();
        }

        var t = _tape;
        t.Reset();
        using (t.NoGrad())
        {
            var r = Forward(t).Representation.Value;
            var users = new Tensor(_users, r.Cols);
            var items = new Tensor(r.Rows - _users, r.Cols);
            r.AsSpan()[..users.Length].CopyTo(users.AsSpan());
            r.AsSpan()[users.Length..].CopyTo(items.AsSpan());
            t.Reset();
            return (users, items);
        }
    }

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>mean(E[u]² + E[i]²) + mean(P_image²) + Σ_m mean(P_m[u]²), in the reference's order of addition.</summary>
    private Variable Regulariser(Tape t, int[] users2, int[] items2)
    {
        var eu = t.GatherRows(_idEmbedding, users2);
        var ei = t.GatherRows(_idEmbedding, items2);
        var reg = t.MeanAll(t.Add(t.Mul(eu, eu), t.Mul(ei, ei)));
        if (_branches.FirstOrDefault(b => b.Name == "image") is { } image)
        {
            reg = t.Add(reg, t.MeanAll(t.Mul(image.Preference, image.Preference)));
        }

        Variable? content = null;
        foreach (var b in _branches)
        {
            var rows = t.GatherRows(b.Preference, users2);
            var term = t.MeanAll(t.Mul(rows, rows));
            content = content is null ? term : t.Add(content, term);
        }

        return t.Add(reg, content!);
    }

    private sealed record Branch(string Name, Variable Features, Variable Preference, Variable Weight, Variable Bias);
}
