// What `multirec compare` runs: which models on which dataset, default settings or each model's grid, which seeds.
namespace MultiRec.Training.Comparison;

/// <summary>A comparison of models on one dataset. Every run lands in <see cref="OutDir"/>, so the same request
/// again reuses the finished runs and resumes an interrupted one.</summary>
internal sealed record ComparisonRequest
{
    /// <summary>Dataset folder.</summary>
    public required string DataDir { get; init; }

    /// <summary>Interaction file inside <see cref="DataDir"/> (--inter); null: the folder's own.</summary>
    public string? InterFile { get; init; }

    /// <summary>Models to compare (catalog names, any case); empty means every model of the catalog.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Run each model's grid (configs/grid/&lt;model&gt;.yaml) at the first seed and keep the combination
    /// with the best VALID metric; false runs the default setting.</summary>
    public bool Grid { get; init; }

    /// <summary>Seeds of the final runs; test metrics are reported as mean ± sd over them. Default 999, 1000, 1001.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [999, 1000, 1001];

    /// <summary>YAML file applied to every run after the built-in layers.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>`key=value` overrides applied to every run.</summary>
    public IReadOnlyList<string> Set { get; init; } = [];

    /// <summary>The comparison folder: runs/&lt;model&gt;/&lt;setting&gt;/seed-&lt;seed&gt;/ and the tables.</summary>
    public required string OutDir { get; init; }
}
