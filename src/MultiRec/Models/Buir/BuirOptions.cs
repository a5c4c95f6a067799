// Hyperparameters of BUIR (configs/model/BUIR.yaml documents each key).
namespace MultiRec.Models.Buir;

/// <summary>BUIR settings; defaults are the reference's (SelfCF/ImRec BUIR.yaml and its LightGCN encoder).</summary>
public sealed record BuirOptions
{
    /// <summary>Latent size d of both encoders and the predictor (reference: 64).</summary>
    public int EmbeddingSize { get; init; } = 64;

    /// <summary>LightGCN layers of each encoder (reference: the encoder's default, 3).</summary>
    public int NLayers { get; init; } = 3;

    /// <summary>Momentum m of the target's moving average θ_t ← m θ_t + (1 − m) θ_o (reference: 0.995).</summary>
    public double Momentum { get; init; } = 0.995;

    /// <summary>Edge-drop rates are drawn per encoder and step as U(0, 1) × this (reference: 1.0); 0 keeps every edge.</summary>
    public double DropRatio { get; init; } = 1.0;
}
