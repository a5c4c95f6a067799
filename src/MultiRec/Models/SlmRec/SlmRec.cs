// SLMRec (Tao et al., IEEE TMM 2022) as MMRec's SLMRec model computes it with ssl_task FAC (baselines-reference §12).
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;
using MultiRec.Models.Graph;

namespace MultiRec.Models.SlmRec;

/// <summary>
/// <code>
/// F̄_m = norm(X_m)                            I × F_m  feature rows L2-normalised once (constants)
/// P_m = F̄_m W_mᵀ + b_m                        I × d    v_dense / t_dense, every batch
/// LGN(A, B) = mean_{l=0..L} Â^l [A; B]         (U+I) × d   Â: the G2 graph (PreNormalizedAdjacency)
/// (I_u, I_i) = LGN(E_u, E_i),  (M_u, M_i) = LGN(E_u, P_m) per modality m (the same user table)
/// user = [I_u ‖ V_u ‖ T_u] W_uᵀ + b_u          U × d    embedding_user_after_GCN (views present, in that order)
/// item = [I_i ‖ V_i ‖ T_i] W_iᵀ + b_i          I × d    embedding_item_after_GCN
/// L_main = CE(norm(user[u]) norm(item[p])ᵀ / temp, 0..B−1)                 B × B in-batch softmax
/// a = g_i_iv(I_i[p]);  L_v = CE(a g_v_iv(V_i[p])ᵀ / ssl_temp, 0..B−1)       (image present)
/// c = g_iva_ivat(g_iv_iva(a));  L_t = CE(c g_t_ivat(T_i[p])ᵀ / ssl_temp, 0..B−1)   (text present)
/// L = L_main + ssl_alpha (L_v + L_t)           batch rows: (user, positive); the reference's negatives are unused
/// score(u, i) = user[u] · item[i]   from the last training forward (stale) unless stale_scores is false
/// </code>
/// The reference scores σ(user · item); the sigmoid is monotone, so ranking the raw products gives its order except
/// where float32 σ rounds distinct scores to the same value (above about 17), ties the reference breaks arbitrarily.
/// g_a_iva (the reference's audio head) is registered but never used: it is frozen, as PyTorch's Adam skips a
/// parameter whose grad stays None; so is every head an absent modality leaves unused. The stale cache is kept as
/// two frozen parameters, all_users and all_items, so checkpoints carry the vectors the epoch was scored with.
/// </summary>
internal sealed class SlmRec : IRecommenderModel
{
    private readonly SlmRecOptions _options;
    private readonly ParameterSet _parameters = new();
    private readonly CsrMatrix _adjacency;          // Â: (U+I) × (U+I), G2
    private readonly Variable _users;               // E_u: U × d
    private readonly Variable _items;               // E_i: I × d
    private readonly List<(string Name, Variable Features, Variable Weight, Variable Bias)> _modalities = [];
    private readonly Variable _itemAfterWeight;     // W_i: d × d(1 + m)
    private readonly Variable _itemAfterBias;
    private readonly Variable _userAfterWeight;     // W_u: d × d(1 + m)
    private readonly Variable _userAfterBias;
    private readonly Dictionary<string, (Variable Weight, Variable Bias)> _heads = [];
    private readonly ScoringCache _cache;           // all_users: U × d, all_items: I × d (frozen)
    private readonly Tape _tape = new();

    public SlmRec(Dataset data, SlmRecOptions options, int seed)
    {
        Validate(options);
        _options = options;
        var names = Modalities.Select(data, options.Modalities);
        var d = options.EmbeddingSize;
        _adjacency = PreNormalizedAdjacency.Build(data.Train);
        var init = new Rng((ulong)seed);
        _users = _parameters.Add("embedding_user.weight", ParameterSet.XavierUniform(data.Users, d, init), [data.Users, d]);
        _items = _parameters.Add("embedding_item.weight", ParameterSet.XavierUniform(data.Items, d, init), [data.Items, d]);
        foreach (var name in names)
        {
            var features = data.Features[name];
            var prefix = name == "image" ? "v_dense" : "t_dense";
            var normalized = NormalizeRows(new Tensor(features.Rows, features.Cols, features.Values)); // reads, never writes
            var w = _parameters.Add($"{prefix}.weight", ParameterSet.XavierUniform(d, features.Cols, init), [d, features.Cols]);
            var b = _parameters.Add($"{prefix}.bias", ParameterSet.LinearBias(d, features.Cols, init), [d]);
            _modalities.Add((name, Variable.Constant(normalized, $"{name}_feat"), w, b));
        }

        var fused = d * (1 + names.Count);
        _itemAfterWeight = _parameters.Add("embedding_item_after_GCN.weight", ParameterSet.XavierUniform(d, fused, init), [d, fused]);
        _itemAfterBias = _parameters.Add("embedding_item_after_GCN.bias", ParameterSet.LinearBias(d, fused, init), [d]);
        _userAfterWeight = _parameters.Add("embedding_user_after_GCN.weight", ParameterSet.XavierUniform(d, fused, init), [d, fused]);
        _userAfterBias = _parameters.Add("embedding_user_after_GCN.bias", ParameterSet.LinearBias(d, fused, init), [d]);

        // The FAC heads, in the reference's order. A head no loss term reads never gets a gradient: frozen.
        var image = names.Contains("image");
        var text = names.Contains("text");
        foreach (var (head, outputs, used) in new[]
                 {
                     ("g_i_iv", d, image || text), ("g_v_iv", d, image), ("g_iv_iva", d, text), ("g_a_iva", d, false),
                     ("g_iva_ivat", d / 2, text), ("g_t_ivat", d / 2, text),
                 })
        {
            var w = _parameters.Add($"{head}.weight", ParameterSet.XavierUniform(outputs, d, init), [outputs, d], trainable: used);
            var b = _parameters.Add($"{head}.bias", ParameterSet.LinearBias(outputs, d, init), [outputs], trainable: used);
            _heads[head] = (w, b);
        }

        _cache = ScoringCache.Split(_parameters, "all_users", "all_items", data.Users, data.Items, d);
        var (users, items) = Recompute();
        _cache.Store(users, items);
    }

    public string Name => "SLMRec";

    public IReadOnlyList<ModelParameter> Parameters => _parameters.All;

    public StepProfile? Profile { get; set; }

    public LossTerms ForwardBackward(TrainingBatch batch)
    {
        if (batch.Length == 0)
        {
            throw new ArgumentException("SLMRec needs a non-empty batch");
        }

        var t = _tape;
        var clock = Profile?.Start();
        t.Reset();
        var u = batch.Users.ToArray();
        var p = batch.Items.ToArray();
        var labels = Enumerable.Range(0, u.Length).ToArray();

        var views = Forward(t);
        // The reference caches these vectors for scoring (its full_sort_predict reads them after the epoch).
        _cache.Store(views.User.Value, views.Item.Value);
        Profile?.Lap(ref clock, "propagation");

        var zu = t.L2NormalizeRows(t.GatherRows(views.User, u));                  // B × d
        var zi = t.L2NormalizeRows(t.GatherRows(views.Item, p));                  // B × d
        var main = t.SoftmaxCrossEntropy(t.Linear(zu, zi), labels, (float)_options.Temp);
        var terms = new Dictionary<string, double> { ["main"] = main.Scalar };
        var ssl = Fac(t, views, p, labels, terms);
        var total = ssl is null ? main : t.Add(main, t.Scale(ssl, (float)_options.SslAlpha));
        var totalValue = total.Scalar;
        Profile?.Lap(ref clock, "losses");
        t.Backward(total);
        Profile?.Lap(ref clock, "backward");
        return new LossTerms(terms, totalValue);
    }

    /// <summary>The propagated views and the fused user and item vectors of the current weights.</summary>
    internal SlmRecViews Forward(Tape t)
    {
        var (iu, ii) = t.LightGcnPropagate(_adjacency, _users, _items, _options.NLayers, isSymmetric: true);
        var userParts = iu;
        var itemParts = ii;
        Variable? imageItems = null;
        Variable? textItems = null;
        foreach (var (name, features, w, b) in _modalities)
        {
            var projected = t.Linear(features, w, b);                               // P_m: I × d
            var (mu, mi) = t.LightGcnPropagate(_adjacency, _users, projected, _options.NLayers, isSymmetric: true);
            userParts = t.ConcatColumns(userParts, mu);
            itemParts = t.ConcatColumns(itemParts, mi);
            if (name == "image")
            {
                imageItems = mi;
            }
            else
            {
                textItems = mi;
            }
        }

        var user = t.Linear(userParts, _userAfterWeight, _userAfterBias);           // U × d
        var item = t.Linear(itemParts, _itemAfterWeight, _itemAfterBias);           // I × d
        return new SlmRecViews(ii, imageItems, textItems, user, item);
    }

    public (Tensor Users, Tensor Items) ScoringEmbeddings() =>
        _options.StaleScores ? _cache.Read() : Recompute();

    public void ReleaseStepBuffers()
    {
        _tape.Reset();
        _tape.TrimPool();
    }

    /// <summary>L_ssl = L_v + L_t over the batch's positive items (repeats included); null without modalities.</summary>
    private Variable? Fac(Tape t, SlmRecViews views, int[] p, int[] labels, Dictionary<string, double> terms)
    {
        if (views.ImageItems is null && views.TextItems is null)
        {
            return null;
        }

        var temperature = (float)_options.SslTemp;
        var a = Head(t, "g_i_iv", t.GatherRows(views.IdItems, p));                 // B × d
        Variable? ssl = null;
        if (views.ImageItems is { } image)
        {
            var b = Head(t, "g_v_iv", t.GatherRows(image, p));                    // B × d
            ssl = t.SoftmaxCrossEntropy(t.Linear(a, b), labels, temperature);
            terms["ssl_v"] = ssl.Scalar;
        }

        if (views.TextItems is { } text)
        {
            var c = Head(t, "g_iva_ivat", Head(t, "g_iv_iva", a));                // B × d/2
            var e = Head(t, "g_t_ivat", t.GatherRows(text, p));                   // B × d/2
            var lt = t.SoftmaxCrossEntropy(t.Linear(c, e), labels, temperature);
            terms["ssl_t"] = lt.Scalar;
            ssl = ssl is null ? lt : t.Add(ssl, lt);
        }

        return ssl;
    }

    private Variable Head(Tape t, string name, Variable x) => t.Linear(x, _heads[name].Weight, _heads[name].Bias);

    private (Tensor Users, Tensor Items) Recompute() => _tape.EvaluateWithoutGradient(t =>
    {
        var views = Forward(t);
        return (views.User, views.Item);
    });

    private static Tensor NormalizeRows(Tensor x)
    {
        var t = new Tape();
        var y = t.L2NormalizeRows(Variable.Constant(x)).Value.Clone();
        t.Reset();
        return y;
    }

    private static void Validate(SlmRecOptions o)
    {
        if (o.EmbeddingSize < 2 || o.EmbeddingSize % 2 != 0 || o.NLayers < 0 || !(o.Temp > 0) || !(o.SslTemp > 0) || !(o.SslAlpha >= 0))
        {
            throw new ArgumentException($"invalid SLMRec options: embedding_size {o.EmbeddingSize} (even, >= 2), n_layers {o.NLayers} (>= 0), temp {o.Temp} (> 0), ssl_temp {o.SslTemp} (> 0), ssl_alpha {o.SslAlpha} (>= 0)");
        }

        if (o.SslTask != "FAC" || o.MmFusionMode != "concat")
        {
            throw new ArgumentException($"SLMRec: ssl_task '{o.SslTask}' and mm_fusion_mode '{o.MmFusionMode}': only FAC and concat are implemented (the reference defaults)");
        }
    }
}

/// <summary>One SLMRec forward: the propagated item views the FAC terms read, and the fused vectors.</summary>
/// <param name="IdItems">I_i: the item rows of the ID view (I × d).</param>
/// <param name="ImageItems">V_i (I × d), null without image features.</param>
/// <param name="TextItems">T_i (I × d), null without text features.</param>
/// <param name="User">The fused user vectors (U × d).</param>
/// <param name="Item">The fused item vectors (I × d).</param>
internal sealed record SlmRecViews(Variable IdItems, Variable? ImageItems, Variable? TextItems, Variable User, Variable Item);
