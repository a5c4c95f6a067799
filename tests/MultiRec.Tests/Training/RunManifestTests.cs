// Tests of run.json: written by train with what serving and evaluation need; read without the model's schema;
// old run folders (config.yaml only) still open; a missing or corrupt manifest is an error naming the file.
using MultiRec.Data;
using MultiRec.Serving;
using MultiRec.Tests.Serving;
using MultiRec.Training;

namespace MultiRec.Tests.Training;

public class RunManifestTests
{
    private static string TrainSmall(TempDir dir, string model = "BPR")
    {
        var outcome = TrainingSession.Train(new TrainRequest
        {
            Model = model,
            DataDir = TestCatalogs.Discriminating,
            OutDir = dir.File("run"),
            Set = [.. TestCatalogs.Fast, "epochs=1", "topk=[3,7]", "valid_metric=recall@7", "seed=17"],
        });
        return outcome.Run.Path;
    }

    [Fact]
    public void Train_WritesRunJson_WithModelDataProtocolSeedAndVersions()
    {
        using var dir = TestPaths.NewTempDir();
        var run = TrainSmall(dir);

        var manifest = RunManifestFile.Read(Path.Combine(run, RunManifest.FileName));
        Assert.Equal(RunManifest.CurrentSchemaVersion, manifest.SchemaVersion);
        Assert.False(string.IsNullOrEmpty(manifest.MultirecVersion));
        Assert.Equal("BPR", manifest.Model);
        Assert.Equal(Path.GetFullPath(TestCatalogs.Discriminating), manifest.DataPath);
        Assert.Equal(TestCatalogs.Discriminating, manifest.DataPathGiven);
        Assert.Equal([3, 7], manifest.Evaluation.Topk);
        Assert.True(manifest.Evaluation.MaskTrainItems);
        Assert.False(manifest.Evaluation.MaskValidAtTest);
        Assert.Equal(17, manifest.Seed);
        Assert.Equal(IdDensity.Slack, manifest.Dataset.DenseIdSlack);
        Assert.True(manifest.Dataset.Users > 0 && manifest.Dataset.Items > 0);
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    [Fact]
    public void ServeAndEvaluate_OpenFromRunJson_EvenWhenConfigYamlHasAKeyNoSchemaKnows()
    {
        using var dir = TestPaths.NewTempDir();
        var run = TrainSmall(dir);
        var before = RunEvaluation.Evaluate(run, "test");
        File.AppendAllText(Path.Combine(run, "config.yaml"), "\nkey_no_schema_knows: 3\n");

        var model = ServingModelLoader.Load(run);
        Assert.True(model.Users > 0);
        var after = RunEvaluation.Evaluate(run, "test");
        Assert.Equal(before.ToDictionary(), after.ToDictionary());
        Assert.Contains("recall@7", after.ToDictionary().Keys);
        Assert.DoesNotContain("recall@20", after.ToDictionary().Keys);
    }

    [Fact]
    public void OldRunFolder_WithoutRunJson_OpensFromConfigYaml()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20);
        Assert.False(File.Exists(Path.Combine(run, RunManifest.FileName)));
        Assert.Equal(30, ServingModelLoader.Load(run).Users);
        Assert.Equal([5, 10, 20, 50], RunManifestFile.Open(new RunFolder(run)).Evaluation.Topk);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("null")]
    [InlineData("{\"schema_version\": 99, \"model\": \"BM3\", \"data_path\": \"x\"}")]
    [InlineData("{\"schema_version\": 1, \"model\": \"BM3\"}")]
    public void CorruptRunJson_IsAnErrorNamingTheFile(string text)
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 30, items: 20);
        var manifest = Path.Combine(run, RunManifest.FileName);
        File.WriteAllText(manifest, text);

        var serve = Assert.Throws<DataFormatException>(() => ServingModelLoader.Load(run));
        Assert.StartsWith(manifest, serve.Message, StringComparison.Ordinal);
        Assert.Contains("run manifest", serve.Message);
        var evaluate = Assert.Throws<DataFormatException>(() => RunEvaluation.Evaluate(run, "test"));
        Assert.Equal(manifest, evaluate.File);
    }

    [Fact]
    public void MissingRunJson_ReadDirectly_NamesTheFile()
    {
        using var dir = TestPaths.NewTempDir();
        var path = dir.File(RunManifest.FileName);
        var e = Assert.Throws<DataFormatException>(() => RunManifestFile.Read(path));
        Assert.Equal(path, e.File);
        Assert.Contains("not found", e.Message);
    }
}
