// One finished run of a comparison as the table reads it: its results, cost and per-user test metrics.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MultiRec.Config;

namespace MultiRec.Training.Comparison;

/// <summary>What a comparison records beside a run's own files (compare-run.json): the key of the resolved
/// configuration it was trained with, and the costs the run folder does not hold.</summary>
internal sealed record ComparisonRunRecord
{
    [JsonPropertyName("key")]
    public string Key { get; init; } = "";

    [JsonPropertyName("model")]
    public string Model { get; init; } = "";

    [JsonPropertyName("setting")]
    public IReadOnlyDictionary<string, string> Setting { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    /// <summary>Trainable parameters (floats the optimizer updates).</summary>
    [JsonPropertyName("trainable_parameters")]
    public long TrainableParameters { get; init; }

    /// <summary>Peak resident set size of the process during this run (VmHWM after a reset), MiB; 0 where unknown.</summary>
    [JsonPropertyName("peak_rss_mib")]
    public double PeakRssMiB { get; init; }

    /// <summary>Seconds of training and evaluation (results.json's seconds_total), summed over interruptions.</summary>
    [JsonPropertyName("wall_seconds")]
    public double WallSeconds { get; init; }
}

/// <summary>A run of the comparison: where it lives and what it produced.</summary>
internal sealed record ComparisonRun(string Folder, ComparisonRunRecord Record, TrainingResult Result, int[] TestUsers, double[] TestRecall20)
{
    public const string RecordFile = "compare-run.json";
    public const string KeyFile = "compare-key.txt";
    public const string PerUserFile = "per_user_test.csv";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A stable key of a resolved configuration: its key = value pairs (not the layers they came from).</summary>
    public static string KeyOf(ResolvedConfig config)
    {
        var text = string.Join("\n", config.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value.ToYaml()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }

    /// <summary>Reads a finished run with the given key, or null when the folder holds none (absent, other key,
    /// unfinished).</summary>
    public static ComparisonRun? TryLoad(string folder, string key)
    {
        var recordPath = Path.Combine(folder, RecordFile);
        var run = new RunFolder(folder);
        if (!File.Exists(recordPath) || !File.Exists(run.ResultsFile) || !File.Exists(Path.Combine(folder, PerUserFile)))
        {
            return null;
        }

        var record = JsonSerializer.Deserialize<ComparisonRunRecord>(File.ReadAllText(recordPath));
        if (record is null || record.Key != key)
        {
            return null;
        }

        var result = JsonSerializer.Deserialize<TrainingResult>(File.ReadAllText(run.ResultsFile))
            ?? throw new Data.DataFormatException(run.ResultsFile, "empty results");
        var (users, recall) = ReadPerUser(Path.Combine(folder, PerUserFile));
        return new ComparisonRun(folder, record, result, users, recall);
    }

    /// <summary>Writes the per-user file and the record (the record last: its presence marks the run finished).</summary>
    public static void Save(string folder, ComparisonRunRecord record, int[] users, double[] recall20)
    {
        var sb = new StringBuilder("user,recall@20\n");
        for (var i = 0; i < users.Length; i++)
        {
            sb.Append(users[i].ToString(CultureInfo.InvariantCulture)).Append(',').Append(recall20[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        RunFolder.WriteTextAtomic(Path.Combine(folder, PerUserFile), sb.ToString());
        RunFolder.WriteTextAtomic(Path.Combine(folder, RecordFile), JsonSerializer.Serialize(record, Indented) + "\n");
    }

    private static (int[] Users, double[] Values) ReadPerUser(string path)
    {
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var users = new int[lines.Length];
        var values = new double[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out users[i])
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new Data.DataFormatException(path, "expected 'user,recall@20'", i + 2);
            }
        }

        return (users, values);
    }
}
