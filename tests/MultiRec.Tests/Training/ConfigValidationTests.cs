// Configuration errors found when the configuration is resolved: malformed YAML of any origin (S1), --set keys and
// values (S2, D9), out-of-range settings (S3, D8, D9) and grid points (D8), all as exit 2 naming the key and source.
using MultiRec.Config;
using MultiRec.Tests.Cli;

namespace MultiRec.Tests.Training;

public class ConfigValidationTests
{
    private static readonly string Tiny = Path.Combine(TestPaths.Fixtures, "bm3", "tiny");

    [Theory]
    [InlineData("seed: [999\nepochs: 5\n")]
    [InlineData("seed: [999")]
    [InlineData("a: {b: [1, 2}\n")]
    [InlineData("epochs: 5\n---\nseed: 7\n")]
    [InlineData("epochs: 5\nepochs: 6\n")]
    [InlineData("\"a b\": 5\n")]
    [InlineData("? [a, b]\n: 1\n")]
    public void MalformedYaml_IsAConfigError(string text)
    {
        var e = Assert.Throws<ConfigException>(() => YamlConfigReader.Parse(text, "c.yaml"));
        Assert.StartsWith("c.yaml", e.Message);
    }

    [Fact]
    public void MalformedYamlFile_ExitsTwoNamingTheFile()
    {
        using var dir = TestPaths.NewTempDir();
        var config = dir.File("c.yaml");
        File.WriteAllText(config, "seed: [999\nepochs: 5\n");
        HostileCliAssert.NamedError(2, ["train", "--data", Tiny, "--config", config, "--out", dir.File("run")], "c.yaml", "malformed YAML");
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Theory]
    [InlineData("seed=[999\nepochs: 5", "several lines")]
    [InlineData("epochs=2\nseed: 5", "several lines")]
    [InlineData("\"epochs\"=2", "plain key")]
    [InlineData("'epochs'=2", "plain key")]
    [InlineData("#=1", "plain key")]
    [InlineData("epochs=[1", "malformed YAML")]
    [InlineData("epochs=a: b", "--set")]
    [InlineData("=5", "key=value")]
    public void BadSetPair_ExitsTwo(string pair, string mention)
    {
        using var dir = TestPaths.NewTempDir();
        HostileCliAssert.NamedError(2, ["train", "--data", Tiny, "--set", pair, "--out", dir.File("run")], "--set", mention);
    }

    [Theory]
    [InlineData("train_batch_size=0", "train_batch_size")]
    [InlineData("train_batch_size=-1", "train_batch_size")]
    [InlineData("train_batch_size=2147483647", "train_batch_size")]
    [InlineData("embedding_size=100000000", "embedding_size")]
    [InlineData("embedding_size=0", "embedding_size")]
    [InlineData("dropout=1.5", "dropout")]
    [InlineData("dropout=1", "dropout")]
    [InlineData("learning_rate=-0.001", "learning_rate")]
    [InlineData("learning_rate=nan", "learning_rate")]
    [InlineData("reg_weight=.inf", "reg_weight")]
    [InlineData("stopping_step=-1", "stopping_step")]
    [InlineData("topk=[0,20]", "topk")]
    [InlineData("topk=[]", "topk")]
    [InlineData("epochs=-5", "epochs")]
    [InlineData("epochs=0", "epochs")]
    [InlineData("max_steps=-5", "max_steps")]
    [InlineData("valid_metric_decimals=-3", "valid_metric_decimals")]
    [InlineData("n_layers=1000000", "n_layers")]
    [InlineData("n_layers=-1", "n_layers")]
    [InlineData("threads=-2", "threads")]
    [InlineData("valid_metric=recall@7", "valid_metric")]
    [InlineData("valid_metric=bogus", "valid_metric")]
    [InlineData("modalities=[audio]", "modalities")]
    public void OutOfRangeSetting_ExitsTwoBeforeTraining(string pair, string key)
    {
        using var dir = TestPaths.NewTempDir();
        HostileCliAssert.NamedError(2, ["train", "--data", Tiny, "--set", pair, "--out", dir.File("run"), "--quiet"], "--set", key);
        Assert.False(Directory.Exists(dir.File("run")), "nothing may be written before the configuration is valid");
    }

    [Fact]
    public void OutOfRangeSettingInAFile_NamesFileAndLine()
    {
        using var dir = TestPaths.NewTempDir();
        var config = dir.File("c.yaml");
        File.WriteAllText(config, "epochs: 3\ndropout: 1.5\n");
        HostileCliAssert.NamedError(2, ["train", "--data", Tiny, "--config", config, "--out", dir.File("run")], "c.yaml:2", "dropout", "[0, 1)");
    }

    [Fact]
    public void Quickstart_BatchSizeZero_ExitsTwo()
    {
        using var dir = TestPaths.NewTempDir();
        HostileCliAssert.NamedError(2, ["quickstart", "--out", dir.File("q"), "--quiet", "--set", "train_batch_size=0"], "train_batch_size");
    }

    [Theory]
    [InlineData("dropout=[]", "at least one value")]
    [InlineData("dropout=[0.1,1.5]", "dropout")]
    [InlineData("topk=[5,0]", "topk")]
    public void Grid_ValidatesEveryPointBeforeTheFirstRun(string pair, string mention)
    {
        using var dir = TestPaths.NewTempDir();
        HostileCliAssert.NamedError(2, ["grid", "--data", Tiny, "--set", pair, "--set", "epochs=1", "--out", dir.File("g"), "--quiet"], mention);
        Assert.False(Directory.Exists(dir.File("g")), "no grid point may train when one is invalid");
    }

    [Fact]
    public void Grid_CrossKeyCheckOfEveryPoint()
    {
        using var dir = TestPaths.NewTempDir();
        // valid_metric recall@20 needs 20 in topk: the second point lacks it.
        var grid = dir.File("grid.yaml");
        File.WriteAllText(grid, "n_layers: [1]\nvalid_metric: [recall@20, recall@30]\n");
        HostileCliAssert.NamedError(2, ["grid", "--data", Tiny, "--grid", grid, "--set", "epochs=1", "--out", dir.File("g"), "--quiet"], "valid_metric");
        Assert.False(Directory.Exists(dir.File("g")));
    }

    [Fact]
    public void RangeErrorsOfTheSchema_AreStated()
    {
        var schema = MultiRec.Training.TrainingSession.SchemaFor("BM3");
        Assert.True(schema.TryGet("embedding_size", out var key));
        Assert.NotNull(key.Range);
        var e = Assert.Throws<ConfigException>(() => ConfigSchema.Convert(key, new ConfigValue("x.yaml", 4, "5000", null)));
        Assert.Equal("x.yaml:4: key 'embedding_size': 5000 is out of range: expected an integer in [1, 4096]", e.Message);
    }

    [Fact]
    public void EveryNumericKeyHasABound()
    {
        // The rule: numeric options are validated from the schema. seed is the one unbounded integer.
        var schema = MultiRec.Training.TrainingSession.SchemaFor("BM3");
        var numeric = schema.Keys.Where(k => k.Type == typeof(int) || k.Type == typeof(double) || k.Type == typeof(IReadOnlyList<int>));
        var unbounded = numeric.Where(k => k.Range is null).Select(k => k.Name).ToList();
        Assert.Equal(["seed"], unbounded);
    }

    [Fact]
    public void RunConfigWithUnknownModel_NamesTheRunConfig()
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.yaml"), "model: NoSuchModel\ndata_path: /nowhere\n");
        HostileCliAssert.NamedError(2, ["evaluate", "--run", run], "config.yaml:1", "unknown model 'NoSuchModel'");
    }

    [Fact]
    public void RunConfigWithoutDataPath_SaysSo()
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.yaml"), "model: BM3\n");
        HostileCliAssert.NamedError(2, ["evaluate", "--run", run], "config.yaml", "data_path");
    }

    [Theory]
    [InlineData("evaluate")]
    [InlineData("export")]
    [InlineData("recommend")]
    [InlineData("serve")]
    public void MalformedRunConfig_EveryVerbExitsTwo(string verb)
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "config.yaml"), "model: BM3\nseed: [999\nepochs: 5\n");
        string[] args = verb switch
        {
            "export" => [verb, "--run", run, "--out", dir.File("top.csv")],
            "recommend" => [verb, "--run", run, "--user", "0"],
            _ => [verb, "--run", run],
        };
        HostileCliAssert.NamedError(2, args, "config.yaml", "malformed YAML");
    }
}
