// One contract suite over every catalog model on the discriminating catalog: an epoch gives finite losses; the same
// seed gives the same bytes; max_steps + resume ends bit for bit like an uninterrupted run; the best checkpoint
// loads into a fresh model and reproduces the run's scoring embeddings; `train`, `export` and `recommend` work on
// its run folder.
using MultiRec.Data;
using MultiRec.Models;
using MultiRec.Tests.Cli;
using MultiRec.Tests.Training;
using MultiRec.Training;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Tests.Models;

public class ModelContractTests
{
    public static TheoryData<string> Models => new(ModelCatalog.Names);

    private static TrainRequest Request(string model, string outDir, params string[] set) => new()
    {
        Model = model,
        DataDir = TestCatalogs.Discriminating,
        OutDir = outDir,
        Set = [.. TestCatalogs.Fast, "stopping_step=100", "test_only_on_improvement=false", .. set],
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Training_IsFiniteAndDeterministic_AndResumesBitExactly(string model)
    {
        using var dir = TestPaths.NewTempDir();
        var full = TrainingSession.Train(Request(model, dir.File("full"), "epochs=2"));
        Assert.Equal(model, full.Model.Name);
        Assert.Equal(2, full.Result.EpochsRun);
        var log = MetricsLog.Read(full.Run.MetricsFile);
        Assert.All(log, r => Assert.True(double.IsFinite(r.Loss["loss"]) && r.Loss["loss"] > 0, $"epoch {r.Epoch} loss {r.Loss["loss"]}"));
        Assert.Equal(model, full.Config.Bind<RunOptions>().Model);

        var again = TrainingSession.Train(Request(model, dir.File("again"), "epochs=2"));
        Assert.Equal(File.ReadAllBytes(full.Run.UserEmbeddings), File.ReadAllBytes(again.Run.UserEmbeddings));
        Assert.Equal(File.ReadAllBytes(full.Run.ItemEmbeddings), File.ReadAllBytes(again.Run.ItemEmbeddings));
        TrainerTests.AssertSameTensors(full.Run.LastCheckpoint, again.Run.LastCheckpoint);

        var perEpoch = TestCatalogs.StepsPerEpoch;
        var interruptAt = perEpoch + (perEpoch / 2); // inside epoch 2
        var split = TrainingSession.Train(Request(model, dir.File("split"), "epochs=2", $"max_steps={interruptAt}"));
        Assert.Equal("max_steps", split.Result.StoppedBy);
        var resumed = TrainingSession.Train(new TrainRequest { ResumeRun = dir.File("split"), Set = ["max_steps=0"] });
        Assert.Equal(full.Result.Steps, resumed.Result.Steps);
        Assert.Equal(TrainerTests.StrippedLog(full.Run), TrainerTests.StrippedLog(resumed.Run));
        Assert.Equal(File.ReadAllBytes(full.Run.ItemEmbeddings), File.ReadAllBytes(resumed.Run.ItemEmbeddings));
        TrainerTests.AssertSameTensors(full.Run.LastCheckpoint, resumed.Run.LastCheckpoint);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void BestCheckpoint_LoadsIntoAFreshModel_AndReproducesTheScoringEmbeddings(string model)
    {
        using var dir = TestPaths.NewTempDir();
        var outcome = TrainingSession.Train(Request(model, dir.File("run"), "epochs=1"));
        // The dataset as a later process loads it: training may have moved the in-memory feature tables (BM3 and
        // FREEDOM train them in place, as the reference trains its feature tensors), and FREEDOM's item graph is
        // built from the initial features.
        var data = Dataset.Load(TestCatalogs.Discriminating, outcome.Config.Bind<RunOptions>().LoadOptions(loadFeatures: true));
        var fresh = ModelCatalog.Create(model, data, outcome.Config, seed: 12345);
        Assert.Equal(outcome.Model.Parameters.Count, fresh.Parameters.Count);
        Assert.Equal(outcome.Model.Parameters.Count, fresh.Parameters.Select(p => p.Name).Distinct().Count());
        Checkpoint.LoadParameters(SafeTensorsFile.Read(outcome.Run.BestCheckpoint), fresh.Parameters, outcome.Run.BestCheckpoint, requireAll: true);
        var (users, items) = fresh.ScoringEmbeddings();
        Assert.Equal(users.Rows, outcome.Data.Users);
        Assert.Equal(items.Rows, outcome.Data.Items);
        Assert.Equal(NpyFile.Read(outcome.Run.UserEmbeddings).ToFloat32(), users.AsSpan().ToArray());
        Assert.Equal(NpyFile.Read(outcome.Run.ItemEmbeddings).ToFloat32(), items.AsSpan().ToArray());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Cli_TrainExportAndRecommend_WorkOnItsRunFolder(string model)
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        var train = CliRunner.Run(["train", "--model", model, "--data", TestCatalogs.Discriminating, "--out", run, "--quiet", "--set", "epochs=1", .. TestCatalogs.Fast.SelectMany(s => new[] { "--set", s })]);
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains($"model: {model}", File.ReadAllText(Path.Combine(run, "config.yaml")));

        var csv = dir.File("top.csv");
        var export = CliRunner.Run("export", "--run", run, "--k", "5", "--out", csv);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var rows = File.ReadAllLines(csv);
        Assert.True(rows.Length > 1, "export wrote no rows");
        var user = rows[1].Split(',')[0];
        var recommend = CliRunner.Run("recommend", "--run", run, "--user", user, "--k", "3");
        Assert.True(recommend.ExitCode == 0, recommend.Stderr);
        Assert.StartsWith($"user {user}: top 3", recommend.Stdout, StringComparison.Ordinal);
    }
}
