// Hyperparameter grid: every list on a scalar key is an axis; one run per combination; winner by the VALID metric.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MultiRec.Config;
using MultiRec.Data;

namespace MultiRec.Training;

/// <summary>One combination of a grid and its outcome.</summary>
internal sealed record GridPoint
{
    [JsonPropertyName("values")]
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("run")]
    public string Run { get; init; } = "";

    [JsonPropertyName("result")]
    public TrainingResult Result { get; init; } = new();
}

/// <summary>Runs a grid. Unlike the reference (which picks the combination with the best TEST recall@20),
/// the winner is the combination with the best VALID metric; test metrics are reported, never used to choose.</summary>
internal static class GridSearch
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>All combinations of the axes, first axis slowest.</summary>
    public static List<Dictionary<string, string>> Combinations(IReadOnlyList<(string Key, IReadOnlyList<string> Values)> axes)
    {
        var result = new List<Dictionary<string, string>> { new(StringComparer.Ordinal) };
        foreach (var (key, values) in axes)
        {
            result = result.SelectMany(partial => values.Select(v => new Dictionary<string, string>(partial, StringComparer.Ordinal) { [key] = v })).ToList();
        }

        return result;
    }

    /// <summary>Trains every combination into a sub-folder of <paramref name="outDir"/>; writes grid.json and grid.md.</summary>
    public static (IReadOnlyList<GridPoint> Points, int Winner) Run(
        TrainRequest request, string? gridFile, string outDir, ITrainingObserver observer, Action<string>? log = null)
    {
        var data = Dataset.Load(request.DataDir ?? throw new ArgumentException("--data is required"), request.LoadOptions);
        var model = Models.ModelCatalog.Canonical(request.Model);
        var gridLayer = gridFile is not null ? YamlConfigReader.ReadFile(gridFile) : DefaultConfigs.TryLoad($"grid/{model}.yaml");
        var config = TrainingSession.ResolveConfig(request, data, allowAxes: true, grid: gridLayer);
        var axes = config.GridAxes();
        var combos = Combinations(axes);
        // Every combination is validated, and every run folder checked, before the first one trains.
        var planned = combos.Select(combo => (
            Combo: combo,
            Config: ConfigChecks.Validate(config.With(combo)),
            Folder: Path.Combine(outDir, combos.Count == 1 ? "run" : PointName(combo)))).ToList();
        foreach (var p in planned)
        {
            new RunFolder(p.Folder).CheckWritable(request.Force);
        }

        Directory.CreateDirectory(outDir);
        var points = new List<GridPoint>();
        var metric = planned[0].Config.Bind<TrainingOptions>().ValidMetric;
        foreach (var (combo, point, folder) in planned)
        {
            log?.Invoke($"grid point {points.Count + 1}/{combos.Count}: {Path.GetFileName(folder)}");
            var outcome = TrainingSession.Train(request with { OutDir = folder }, observer, point);
            points.Add(new GridPoint { Values = combo, Run = outcome.Run.Path, Result = outcome.Result });
        }

        var winner = Winner(points, metric);
        RunFolder.WriteTextAtomic(Path.Combine(outDir, "grid.json"), JsonSerializer.Serialize(new { valid_metric = metric, winner, points }, Indented) + "\n");
        RunFolder.WriteTextAtomic(Path.Combine(outDir, "grid.md"), Table(points, axes.Select(a => a.Key).ToList(), metric, winner));
        return (points, winner);
    }

    /// <summary>The run folder name of one point: key=value pairs joined by '_', with characters that cannot be in a
    /// plain file name ('/', '\\', ':', control characters) replaced by '-'.</summary>
    public static string PointName(IReadOnlyDictionary<string, string> combo)
    {
        var name = string.Join("_", combo.Select(kv => $"{kv.Key}={kv.Value}"));
        var chars = name.Select(c => c is '/' or '\\' or ':' || char.IsControl(c) ? '-' : c).ToArray();
        var safe = new string(chars);
        return safe is "." or ".." ? "point" : safe;
    }

    /// <summary>Index of the point with the highest valid metric (first on ties).</summary>
    public static int Winner(IReadOnlyList<GridPoint> points, string metric)
    {
        var best = -1;
        var bestValue = double.NegativeInfinity;
        for (var i = 0; i < points.Count; i++)
        {
            var v = points[i].Result.Valid?.GetValueOrDefault(metric) ?? double.NegativeInfinity;
            if (v > bestValue)
            {
                bestValue = v;
                best = i;
            }
        }

        return best;
    }

    /// <summary>A Markdown table of every point: axis values, best epoch, valid and test recall/ndcg@20 (and the selection metric).</summary>
    public static string Table(IReadOnlyList<GridPoint> points, IReadOnlyList<string> axes, string metric, int winner)
    {
        string[] shown = ["recall@20", "ndcg@20"];
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", axes)).Append(" | best epoch | ")
            .Append(string.Join(" | ", shown.Select(m => "valid " + m))).Append(" | ")
            .Append(string.Join(" | ", shown.Select(m => "test " + m))).AppendLine(" |  |");
        sb.Append('|').Append(string.Concat(Enumerable.Repeat("---|", axes.Count + 2 + (2 * shown.Length)))).AppendLine();
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            sb.Append("| ").Append(string.Join(" | ", axes.Select(a => p.Values.GetValueOrDefault(a, "")))).Append(" | ")
                .Append(p.Result.BestEpoch.ToString(CultureInfo.InvariantCulture)).Append(" | ")
                .Append(string.Join(" | ", shown.Select(m => Format(p.Result.Valid, m)))).Append(" | ")
                .Append(string.Join(" | ", shown.Select(m => Format(p.Result.Test, m)))).Append(" | ")
                .Append(i == winner ? $"winner (valid {metric})" : "").AppendLine(" |");
        }

        return sb.ToString();
    }

    private static string Format(IReadOnlyDictionary<string, double>? metrics, string key) =>
        metrics is not null && metrics.TryGetValue(key, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
