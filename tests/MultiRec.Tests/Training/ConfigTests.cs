// Layered configuration: order of layers, typing, unknown keys, grid axes.
using MultiRec.Models;
using MultiRec.Training;
using MultiRec.Training.Config;

namespace MultiRec.Tests.Training;

public class ConfigTests
{
    private static readonly ConfigSchema Schema = new(typeof(RunOptions), typeof(TrainingOptions), typeof(Bm3Options));

    [Fact]
    public void Defaults_MatchTheReference()
    {
        var config = ConfigBuilder.Build(Schema, "BM3", "unknown-dataset", null, []);
        var training = config.Bind<TrainingOptions>();
        var model = config.Bind<Bm3Options>();
        Assert.Equal(999, training.Seed);
        Assert.Equal(2048, training.TrainBatchSize);
        Assert.Equal(0.001, training.LearningRate);
        Assert.Equal(20, training.StoppingStep);
        Assert.Equal([5, 10, 20, 50], training.Topk);
        Assert.Equal(64, model.EmbeddingSize);
        Assert.Equal(2.0, model.ClWeight);
        Assert.Null(model.Modalities);
        Assert.True(model.TrainRawFeatures);
    }

    [Fact]
    public void EveryKeyOfTheOptionRecords_IsDocumentedInAShippedYamlFile()
    {
        var documented = DefaultConfigs.Names()
            .Select(n => DefaultConfigs.TryLoad(n)!)
            .SelectMany(l => l.Values.Keys)
            .ToHashSet();
        var undocumented = Schema.Keys.Select(k => k.Name)
            .Where(k => k is not "model" and not "data_path" && !documented.Contains(k))
            .ToList();
        Assert.Empty(undocumented);
    }

    [Fact]
    public void Layers_LaterWins_DatasetThenModelThenFileThenSet()
    {
        using var dir = TestPaths.NewTempDir();
        var file = dir.File("my.yaml");
        File.WriteAllText(file, "reg_weight: 0.5\nlearning_rate: 0.01\n");
        var config = ConfigBuilder.Build(Schema, "BM3", "sports", file, ["learning_rate=0.002"]);
        Assert.Equal(0.5, config.Bind<Bm3Options>().RegWeight); // file beats dataset (0.01)
        Assert.Equal(0.002, config.Bind<TrainingOptions>().LearningRate); // --set beats file
        Assert.Equal(0.5, config.Bind<Bm3Options>().Dropout); // from dataset/sports.yaml
    }

    [Fact]
    public void UnknownKey_InFile_NamesFileLineAndKey()
    {
        using var dir = TestPaths.NewTempDir();
        var file = dir.File("bad.yaml");
        File.WriteAllText(file, "seed: 1\nn_layer: 2\n");
        var e = Assert.Throws<ConfigException>(() => ConfigBuilder.Build(Schema, "BM3", "x", file, []));
        Assert.Contains("bad.yaml:2", e.Message);
        Assert.Contains("unknown key 'n_layer'", e.Message);
        Assert.Contains("did you mean 'n_layers'", e.Message);
    }

    [Fact]
    public void UnknownKey_InSet_IsAnError()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigBuilder.Build(Schema, "BM3", "x", null, ["nope=1"]));
        Assert.StartsWith("--set:", e.Message);
    }

    [Theory]
    [InlineData("n_layers=two", "not a valid integer")]
    [InlineData("dropout=abc", "not a valid number")]
    [InlineData("shuffle=maybe", "not a valid boolean")]
    [InlineData("topk=5", "expects a list")]
    [InlineData("n_layers=[1,2]", "lists are grid axes")]
    [InlineData("seed", "key=value")]
    public void WrongType_IsAnError(string pair, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigBuilder.Build(Schema, "BM3", "x", null, [pair]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MalformedYaml_NamesTheFile()
    {
        using var dir = TestPaths.NewTempDir();
        var file = dir.File("broken.yaml");
        File.WriteAllText(file, "seed: [1, 2\n");
        var e = Assert.Throws<ConfigException>(() => ConfigBuilder.Build(Schema, "BM3", "x", file, []));
        Assert.Contains("broken.yaml", e.Message);
    }

    [Fact]
    public void Modalities_AcceptAutoAndLists()
    {
        Assert.Null(ConfigBuilder.Build(Schema, "BM3", "x", null, ["modalities=auto"]).Bind<Bm3Options>().Modalities);
        Assert.Equal(["text"], ConfigBuilder.Build(Schema, "BM3", "x", null, ["modalities=[text]"]).Bind<Bm3Options>().Modalities);
        Assert.Empty(ConfigBuilder.Build(Schema, "BM3", "x", null, ["modalities=[]"]).Bind<Bm3Options>().Modalities!);
    }

    [Fact]
    public void Grid_ListsOnScalarKeysBecomeAxes()
    {
        var grid = DefaultConfigs.TryLoad("grid/BM3.yaml");
        var config = ConfigBuilder.Build(Schema, "BM3", "baby", null, [], gridFile: grid, allowAxes: true);
        var axes = config.GridAxes();
        Assert.Equal(["n_layers", "dropout", "reg_weight"], axes.Select(a => a.Key).ToArray());
        var point = config.With(new Dictionary<string, string> { ["n_layers"] = "2", ["dropout"] = "0.3", ["reg_weight"] = "0.01" });
        var bm3 = point.Bind<Bm3Options>();
        Assert.Equal(2, bm3.NLayers);
        Assert.Equal(0.3, bm3.Dropout);
        Assert.Equal(0.01, bm3.RegWeight);
    }

    [Fact]
    public void ResolvedYaml_RoundTrips()
    {
        var config = ConfigBuilder.Build(Schema, "BM3", "baby", null, ["topk=[10, 20]", "valid_metric=ndcg@10"]);
        var yaml = config.ToYaml("resolved");
        var again = ResolvedConfig.Resolve(Schema, [YamlConfigReader.Parse(yaml, "config.yaml")]);
        Assert.Equal([10, 20], again.Bind<TrainingOptions>().Topk);
        Assert.Equal("ndcg@10", again.Bind<TrainingOptions>().ValidMetric);
        Assert.Equal(config.Bind<Bm3Options>(), again.Bind<Bm3Options>() with { Modalities = config.Bind<Bm3Options>().Modalities });
    }

    [Theory]
    [InlineData("NLayers", "n_layers")]
    [InlineData("TrainBatchSize", "train_batch_size")]
    [InlineData("Seed", "seed")]
    public void SnakeCase(string pascal, string snake) => Assert.Equal(snake, ConfigSchema.ToSnakeCase(pascal));
}
