// The readers under fuzzing: each with seed inputs, how to run it on bytes, and the error types it may raise.
using System.Text;
using MultiRec.Config;
using MultiRec.Data;
using MultiRec.Features.Text;
using MultiRec.Serving;
using MultiRec.Training;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Tests.Fuzz;

/// <summary>One reader: seeds (valid inputs), a run on a file holding the mutated bytes, and the accepted error type.</summary>
internal sealed record FuzzTarget(string Name, string FileName, IReadOnlyList<byte[]> Seeds, Action<string, byte[]> Run, Type Error)
{
    public override string ToString() => Name;
}

internal static class FuzzTargets
{
    public static readonly FuzzTarget Inter = new(
        "inter", "d.inter",
        [
            "userID\titemID\tx_label\n0\t1\t0\n0\t2\t1\n1\t0\t0\n1\t2\t2\n2\t1\t0\n2\t0\t1\n"u8.ToArray(),
            "userID\titemID\trating\ttimestamp\tx_label\r\n0\t0\t5\t1\t0\r\n1\t1\t4\t2\t1\r\n"u8.ToArray(),
        ],
        (path, _) =>
        {
            InterFile.Read(path);
            Dataset.Load(Path.GetDirectoryName(path)!, new DatasetLoadOptions { LoadFeatures = false });
        },
        typeof(DataFormatException));

    public static readonly FuzzTarget Npy = new("npy", "f.npy", [NpyBytes()], (path, _) =>
    {
        NpyFile.Read(path);
        NpyFile.ReadFeatureMatrix(path);
    }, typeof(DataFormatException));

    public static readonly FuzzTarget SafeTensors = new("safetensors", "c.safetensors", [SafeTensorsBytes()], (path, _) => SafeTensorsFile.Read(path), typeof(DataFormatException));

    public static readonly FuzzTarget Yaml = new(
        "yaml", "c.yaml",
        [
            Encoding.UTF8.GetBytes(DefaultYaml("overall.yaml")),
            "n_layers: [1, 2]\ndropout: [0.3, 0.5]\nreg_weight: 0.1\nmodalities: [image, text]\ntopk: [5, 20]\nvalid_metric: ndcg@20\n"u8.ToArray(),
        ],
        (path, bytes) =>
        {
            var layer = YamlConfigReader.Parse(Encoding.UTF8.GetString(bytes), path);
            ConfigChecks.Validate(ResolvedConfig.Resolve(TrainingSession.SchemaFor("BM3"), [layer]));
        },
        typeof(ConfigException));

    public static readonly FuzzTarget SetPairs = new(
        "set-pairs", "set.txt",
        ["epochs=5\nn_layers=[1,2]\ndropout=0.3\nvalid_metric=recall@20\ntopk=[5,10,20]\n"u8.ToArray()],
        (_, bytes) =>
        {
            var pairs = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            ResolvedConfig.Resolve(TrainingSession.SchemaFor("BM3"), [YamlConfigReader.ParseSetPairs(pairs)], allowAxes: true);
        },
        typeof(ConfigException));

    public static readonly FuzzTarget IdMap = new(
        "id-map", "u_id_mapping.csv",
        ["user_id\tuserID\nA1\t0\nB2\t1\nC3\t2\nD4\t3\n"u8.ToArray(), "userID\tuser_id\r\n0\tx\r\n1\ty\r\n2\tz\r\n3\tw\r\n"u8.ToArray()],
        (path, _) => IdMapFile.Read(path, IdMapFile.UserIdColumn, 4),
        typeof(DataFormatException));

    public static readonly FuzzTarget ItemText = new(
        "item-text", "items.tsv",
        [
            "itemID\ttitle\tbrand\tcategories\tdescription\n0\tBaby bottle\tAcme\tFeeding\tA bottle.\n1\t\tAcme\t\t\n2\tCrib\t\tFurniture\tWooden crib\n"u8.ToArray(),
            "itemID\ttext\n0\thello world\n1\t\n2\tcaf\u00e9 \u4e2d\u6587\n"u8.ToArray(),
        ],
        (path, _) => ItemTextFile.Read(path),
        typeof(DataFormatException));

    public static IEnumerable<FuzzTarget> All => [Inter, Npy, SafeTensors, Yaml, SetPairs, IdMap, ItemText];

    private static string DefaultYaml(string name)
    {
        using var stream = typeof(DefaultConfigs).Assembly.GetManifestResourceStream("configs/" + name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static byte[] NpyBytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"multirec-fuzz-seed-{Guid.NewGuid():N}.npy");
        try
        {
            NpyFile.Write(path, [1f, 2f, 3f, 4f, 5f, 6f, 0.5f, -1f], 2, 4);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] SafeTensorsBytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"multirec-fuzz-seed-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensorsFile.Write(
                path,
                [
                    new NamedTensor("w", [2, 3], new MultiRec.Engine.Tensor(2, 3, [1, 2, 3, 4, 5, 6])),
                    new NamedTensor("b", [3], new MultiRec.Engine.Tensor(1, 3, [0.1f, 0.2f, 0.3f])),
                ],
                new Dictionary<string, string> { ["trainer"] = "{\"epoch\":1}", ["optimizer_step"] = "7" });
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
