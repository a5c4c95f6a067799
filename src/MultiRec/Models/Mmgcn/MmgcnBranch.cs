// One modality's graph branch of MMGCN (the reference's GCN module): three mean-aggregation layers with an ID term.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;
using MultiRec.Models.Common;

namespace MultiRec.Models.Mmgcn;

/// <summary>
/// <code>
/// F = X Mᵀ + b_M  (image: M is D × F_raw, D = dim_latent)   or   F = X  (text: D = F_raw, no projection)
/// x⁰ = normalize_rows(P ‖_rows F)                  N × D    P = preference, U × D, random and never trained
/// for l = 1..3:
///     h     = lrelu(Mean (xˡ⁻¹ Cₗ))                N × D_l  Cₗ stored (in, out): D × D (l = 1), d × d after
///     x̂     = lrelu(xˡ⁻¹ Lₗᵀ + b_L) + E_id          N × d    E_id = the model's untrained ID embedding
///     xˡ    = lrelu((h ‖ x̂) Gₗᵀ + b_G)             N × d
/// </code>
/// Mean = the mean over in-neighbours of the bidirectional user–item graph; lrelu has slope 0.01.
/// Every step is one of the engine's fused ops (L2NormalizeConcatRows, GraphConvLeakyRelu, LinearLeakyRelu,
/// LinearOfConcat): the same sums as the unfused ops, bit for bit, without holding P ‖ F, x Cₗ, Mean (x Cₗ), the
/// pre-activations or (h ‖ x̂), most of a step's activation memory at the reference's widths.
/// </summary>
internal sealed class MmgcnBranch
{
    public const int Layers = 3;

    private readonly Variable _features;            // X: I × F_raw (constant)
    private readonly Variable? _projectionWeight;    // M: D × F_raw (image only)
    private readonly Variable? _projectionBias;      // b_M: 1 × D
    private readonly Variable[] _conv = new Variable[Layers];
    private readonly (Variable W, Variable B)[] _linear = new (Variable, Variable)[Layers];
    private readonly (Variable W, Variable B)[] _gate = new (Variable, Variable)[Layers];

    /// <summary>Adds the branch's parameters under <paramref name="prefix"/> (v_gcn / t_gcn) in the reference's
    /// state_dict order; the untrained preference table is added to <paramref name="fixedTensors"/>.</summary>
    public MmgcnBranch(string prefix, Tensor features, int users, int d, int? latent, ParameterSet parameters, List<(string Name, Tensor Value)> fixedTensors, Rng init)
    {
        _features = Variable.Constant(features, prefix + ".features");
        var raw = features.Cols;
        var width = latent ?? raw;
        if (latent is { } D)
        {
            _projectionWeight = parameters.Add($"{prefix}.MLP.weight", ParameterSet.LinearWeight(D, raw, init), [D, raw]);
            _projectionBias = parameters.Add($"{prefix}.MLP.bias", ParameterSet.LinearBias(D, raw, init), [D]);
        }

        for (var l = 0; l < Layers; l++)
        {
            var inWidth = l == 0 ? width : d;
            var n = l + 1;
            _conv[l] = parameters.Add($"{prefix}.conv_embed_{n}.weight", ParameterSet.XavierNormal(inWidth, inWidth, init), [inWidth, inWidth]);
            _linear[l] = (
                parameters.Add($"{prefix}.linear_layer{n}.weight", ParameterSet.XavierNormal(d, inWidth, init), [d, inWidth]),
                parameters.Add($"{prefix}.linear_layer{n}.bias", ParameterSet.LinearBias(d, inWidth, init), [d]));
            // The first g-layer's weight is xavier_normal_; the reference leaves the later two at nn.Linear's default.
            var gateIn = inWidth + d;
            _gate[l] = (
                parameters.Add($"{prefix}.g_layer{n}.weight", l == 0 ? ParameterSet.XavierNormal(d, gateIn, init) : ParameterSet.LinearWeight(d, gateIn, init), [d, gateIn]),
                parameters.Add($"{prefix}.g_layer{n}.bias", ParameterSet.LinearBias(d, gateIn, init), [d]));
        }

        // P: U × D, random, never trained (the reference's tensor is no nn.Parameter); the model owns it.
        fixedTensors.Add(($"{prefix}.preference", ParameterSet.XavierNormal(users, width, init)));
    }

    /// <summary>The branch's representation xˡ after the last layer: N × d.</summary>
    public Variable Forward(Tape t, CsrMatrix mean, Variable preference, Variable idEmbedding)
    {
        var projected = _projectionWeight is null ? _features : t.Linear(_features, _projectionWeight, _projectionBias);
        var x = t.L2NormalizeConcatRows(preference, projected);                                 // x⁰: N × D
        for (var l = 0; l < Layers; l++)
        {
            var h = t.GraphConvLeakyRelu(mean, x, _conv[l]);                                     // N × D_l
            var xHat = t.Add(t.LinearLeakyRelu(x, _linear[l].W, _linear[l].B), idEmbedding);     // N × d
            x = t.LinearOfConcat(h, xHat, _gate[l].W, _gate[l].B, leakyReluSlope: 0.01f);        // N × d
        }

        return x;
    }
}
