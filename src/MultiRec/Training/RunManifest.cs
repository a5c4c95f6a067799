// run.json: what evaluation and serving need to reopen a run folder, without the model's options schema.
using System.Text.Json.Serialization;

namespace MultiRec.Training;

/// <summary>The manifest of a run folder (<c>run.json</c>), written by training next to config.yaml. It records the
/// model, the dataset and how to load it, the evaluation protocol (top-K, masks) and the seed, so that
/// <c>evaluate</c>, <c>recommend</c>, <c>export</c> and <c>serve</c> open any model's run without knowing that
/// model's configuration keys.</summary>
public sealed record RunManifest
{
    /// <summary>File name of the manifest inside a run folder.</summary>
    public const string FileName = "run.json";

    /// <summary>The manifest schema this version of MultiRec writes (and the newest it reads).</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Manifest schema version (1).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Version of MultiRec that wrote the run.</summary>
    public string MultirecVersion { get; init; } = "";

    /// <summary>Canonical model name (e.g. BM3).</summary>
    public string Model { get; init; } = "";

    /// <summary>Dataset folder, absolute as resolved at training time.</summary>
    public string DataPath { get; init; } = "";

    /// <summary>Dataset folder as the caller gave it (may be relative to the working directory of training).</summary>
    public string? DataPathGiven { get; init; }

    /// <summary>Interaction file inside <see cref="DataPath"/> chosen with --inter; null: the folder's own.</summary>
    public string? InterFile { get; init; }

    /// <summary>How the dataset was loaded.</summary>
    public RunManifestDataset Dataset { get; init; } = new();

    /// <summary>The evaluation protocol and what serving excludes by default.</summary>
    public RunManifestEvaluation Evaluation { get; init; } = new();

    /// <summary>Run seed.</summary>
    public int Seed { get; init; }

    /// <summary>Kernel threads of the run (0 = every core).</summary>
    public int Threads { get; init; }

    /// <summary>File of the user scoring embeddings, inside the run folder.</summary>
    public string UserEmbeddings { get; init; } = "user_emb.npy";

    /// <summary>File of the item scoring embeddings, inside the run folder.</summary>
    public string ItemEmbeddings { get; init; } = "item_emb.npy";

    /// <summary>How to load the run's dataset again (evaluation and serving load no features).</summary>
    public Data.DatasetLoadOptions LoadOptions(bool loadFeatures) =>
        new() { LoadFeatures = loadFeatures, InterFileName = string.IsNullOrEmpty(InterFile) ? null : InterFile };
}

/// <summary>The dataset part of <see cref="RunManifest"/>.</summary>
public sealed record RunManifestDataset
{
    /// <summary>Dataset name (picks configs/dataset/&lt;name&gt;.yaml).</summary>
    public string Name { get; init; } = "";

    /// <summary>Users and items (id slots) at training time; serving checks the embeddings against the data.</summary>
    public int Users { get; init; }

    /// <summary>Items (id slots) at training time.</summary>
    public int Items { get; init; }

    /// <summary>The modalities setting of the model (null when the model takes none, ["auto"] for every one present).</summary>
    public IReadOnlyList<string>? Modalities { get; init; }

    /// <summary>Feature files that were present and loaded for training (e.g. image_feat.npy, text_feat.npy).</summary>
    public IReadOnlyList<string> FeatureFiles { get; init; } = [];

    /// <summary>The dense-id rule's slack: ids may be at most rows + this (see <see cref="Data.IdDensity"/>).</summary>
    public int DenseIdSlack { get; init; } = Data.IdDensity.Slack;
}

/// <summary>The evaluation part of <see cref="RunManifest"/>.</summary>
public sealed record RunManifestEvaluation
{
    /// <summary>Metric cut-offs.</summary>
    public IReadOnlyList<int> Topk { get; init; } = [5, 10, 20, 50];

    /// <summary>Metric that selected the best epoch.</summary>
    public string ValidMetric { get; init; } = "recall@20";

    /// <summary>Training items are masked when ranking for evaluation (always true in MultiRec's protocol).</summary>
    public bool MaskTrainItems { get; init; } = true;

    /// <summary>Validation items are also masked when evaluating on test.</summary>
    public bool MaskValidAtTest { get; init; }

    /// <summary>What recommend/serve exclude by default (train: the user's training items).</summary>
    [JsonPropertyName("serving_exclude_default")]
    public string ServingExcludeDefault { get; init; } = "train";
}
