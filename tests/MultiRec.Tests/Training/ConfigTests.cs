// Layered configuration: order of layers, typing, unknown keys, grid axes.
using MultiRec.Config;
using MultiRec.Models;
using MultiRec.Training;

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

        // The values come from the shipped files, not from the records' defaults that happen to agree.
        Assert.Equal("configs/overall.yaml", config.Values["seed"].Source);
        Assert.Equal("configs/overall.yaml", config.Values["learning_rate"].Source);
        Assert.Equal("configs/model/BM3.yaml", config.Values["embedding_size"].Source);
        Assert.Equal("configs/model/BM3.yaml", config.Values["cl_weight"].Source);
    }

    [Fact]
    public void EveryKeyOfTheOptionRecords_IsDocumentedInAShippedYamlFile()
    {
        var documented = DefaultConfigs.Names()
            .Select(n => DefaultConfigs.TryLoad(n)!)
            .SelectMany(l => l.Values.Keys)
            .ToHashSet();
        var undocumented = Schema.Keys.Select(k => k.Name)
            .Where(k => k is not "model" and not "data_path" and not "inter_file" && !documented.Contains(k))
            .ToList();
        Assert.Empty(undocumented);
    }

    [Fact]
    public void EachLayer_OverridesTheOneBefore_OverallDatasetModelModelOnDatasetFileSet()
    {
        // Six keys, each last set by a different layer to a value unlike its built-in default.
        var layers = new Dictionary<string, string>
        {
            ["overall.yaml"] = "seed: 1\nstopping_step: 1\nn_layers: 1\ndropout: 0.1\nreg_weight: 0.1\ncl_weight: 0.1\n",
            ["dataset/shop.yaml"] = "stopping_step: 2\nn_layers: 2\ndropout: 0.2\nreg_weight: 0.2\ncl_weight: 0.2\n",
            ["model/BM3.yaml"] = "n_layers: 3\ndropout: 0.3\nreg_weight: 0.3\ncl_weight: 0.3\n",
            ["model/BM3/shop.yaml"] = "dropout: 0.35\nreg_weight: 0.35\ncl_weight: 0.35\n",
        };
        ConfigLayer? Defaults(string path) => layers.TryGetValue(path, out var yaml) ? YamlConfigReader.Parse(yaml, "configs/" + path) : null;
        using var dir = TestPaths.NewTempDir();
        var file = dir.File("my.yaml");
        File.WriteAllText(file, "dropout: 0.4\nreg_weight: 0.4\n");

        var config = ConfigBuilder.Build(Schema, "BM3", "shop", file, ["reg_weight=0.5"], defaults: Defaults);
        var training = config.Bind<TrainingOptions>();
        var model = config.Bind<Bm3Options>();
        Assert.Equal(1, training.Seed); // overall (default 999)
        Assert.Equal(2, training.StoppingStep); // dataset (default 20)
        Assert.Equal(3, model.NLayers); // model (default 1)
        Assert.Equal(0.35, model.ClWeight); // model on dataset (default 2.0)
        Assert.Equal(0.4, model.Dropout); // --config file (default 0.5)
        Assert.Equal(0.5, model.RegWeight); // --set (default 0.1)

        // Without a dataset layer of that name, the overall values stand, and the model layer's.
        var other = ConfigBuilder.Build(Schema, "BM3", "elsewhere", null, [], defaults: Defaults);
        Assert.Equal(1, other.Bind<TrainingOptions>().StoppingStep);
        Assert.Equal(0.3, other.Bind<Bm3Options>().ClWeight);
    }

    [Fact]
    public void ShippedModelOnDatasetLayers_ApplyTheirBestSettings()
    {
        var elecConfig = ConfigBuilder.Build(Schema, "BM3", "elec", null, []);
        var elec = elecConfig.Bind<Bm3Options>();
        Assert.Equal(2, elec.NLayers); // model default 1
        Assert.Equal(0.3, elec.Dropout); // model default 0.5
        Assert.Equal("configs/model/BM3/elec.yaml", elecConfig.Values["n_layers"].Source);
        var sportsConfig = ConfigBuilder.Build(Schema, "BM3", "sports", null, []);
        Assert.Equal(0.01, sportsConfig.Bind<Bm3Options>().RegWeight); // model default 0.1
        Assert.Equal("configs/model/BM3/sports.yaml", sportsConfig.Values["reg_weight"].Source);
        var none = ConfigBuilder.Build(Schema, "BM3", "no-such-dataset", null, []).Bind<Bm3Options>();
        Assert.Equal((1, 0.5, 0.1), (none.NLayers, none.Dropout, none.RegWeight));
    }

    [Fact]
    public void AnotherSplitFile_KeepsTheFoldersDatasetLayer()
    {
        using var dir = TestPaths.NewTempDir();
        var folder = dir.File("sports");
        Directory.CreateDirectory(folder);
        var tiny = File.ReadAllText(Path.Combine(TestPaths.Fixtures, "bm3", "tiny", "tiny.inter"));
        File.WriteAllText(Path.Combine(folder, "sports.inter"), tiny);
        File.WriteAllText(Path.Combine(folder, "sports.mmhcl-split.inter"), tiny);

        var request = new TrainRequest { DataDir = folder, InterFile = "sports.mmhcl-split.inter" };
        var data = MultiRec.Data.Dataset.Load(folder, request.LoadOptions);
        Assert.Equal("sports", data.Name);
        Assert.EndsWith("sports.mmhcl-split.inter", data.InterFile, StringComparison.Ordinal);
        var config = TrainingSession.ResolveConfig(request, data);
        Assert.Equal(0.01, config.Bind<Bm3Options>().RegWeight); // model/BM3/sports.yaml, chosen by the folder's name
        Assert.Equal("configs/model/BM3/sports.yaml", config.Values["reg_weight"].Source);
        Assert.Equal("sports.mmhcl-split.inter", config.Bind<RunOptions>().InterFile);
    }

    [Fact]
    public void DatasetName_IsTheInterFilesName_WhenTheFolderHasNoFileOfItsOwnName()
    {
        using var dir = TestPaths.NewTempDir();
        var folder = dir.File("downloads");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(TestPaths.Fixtures, "bm3", "tiny", "tiny.inter"), Path.Combine(folder, "baby.inter"));
        Assert.Equal("baby", MultiRec.Data.Dataset.Load(folder).Name);
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
        var config = ConfigBuilder.Build(Schema, "BM3", "baby", null, ["topk=[10, 20]", "valid_metric=ndcg@10", "modalities=[text]", "dropout=0.25"]);
        var yaml = config.ToYaml("resolved");
        var again = ResolvedConfig.Resolve(Schema, [YamlConfigReader.Parse(yaml, "config.yaml")]);
        Assert.Equal([10, 20], again.Bind<TrainingOptions>().Topk);
        Assert.Equal("ndcg@10", again.Bind<TrainingOptions>().ValidMetric);
        var expected = config.Bind<Bm3Options>();
        var actual = again.Bind<Bm3Options>();
        Assert.Equal(["text"], actual.Modalities);
        Assert.Equal(0.25, actual.Dropout);
        Assert.Equal(expected with { Modalities = null }, actual with { Modalities = null }); // the list itself is compared above
    }

    [Theory]
    [InlineData("NLayers", "n_layers")]
    [InlineData("TrainBatchSize", "train_batch_size")]
    [InlineData("Seed", "seed")]
    public void SnakeCase(string pascal, string snake) => Assert.Equal(snake, ConfigSchema.ToSnakeCase(pascal));
}
