// Kills a real `multirec train` process mid-run and resumes it: the result must equal an uninterrupted run.
using System.Diagnostics;
using MultiRec.Data;
using MultiRec.Training;

namespace MultiRec.Tests.Training;

public class ResumeAfterKillTests
{
    private static readonly string[] Settings =
        ["epochs=8", "stopping_step=100", "threads=1", "embedding_size=16", "train_batch_size=256", "test_only_on_improvement=false"];

    [Fact]
    public void KilledRun_ResumedFromLastCheckpoint_EndsWithTheSameMetrics()
    {
        using var dir = TestPaths.NewTempDir();
        var data = dir.File("data");
        SyntheticCatalog.Write(data, new SyntheticCatalogOptions { Users = 800, Items = 400, Interactions = 12_000, ImageDim = 64, TextDim = 32 });

        var reference = TrainingSession.Train(new TrainRequest { DataDir = data, OutDir = dir.File("uninterrupted"), Set = Settings });

        var killedRun = dir.File("killed");
        var cli = Path.Combine(AppContext.BaseDirectory, "MultiRec.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "train", "--data", data, "--out", killedRun, "--quiet" }.Concat(Settings.SelectMany(s => new[] { "--set", s })))
        {
            start.ArgumentList.Add(a);
        }

        using (var process = Process.Start(start)!)
        {
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            var metrics = Path.Combine(killedRun, "metrics.jsonl");
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!process.HasExited && DateTime.UtcNow < deadline && (!File.Exists(metrics) || File.ReadAllLines(metrics).Length < 2))
            {
                Thread.Sleep(10);
            }

            Assert.False(process.HasExited, "the training process ended before it could be killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var epochsBeforeKill = MetricsLog.Read(Path.Combine(killedRun, "metrics.jsonl")).Count;
        Assert.InRange(epochsBeforeKill, 2, 7);
        var resumed = TrainingSession.Train(new TrainRequest { ResumeRun = killedRun });

        Assert.Equal(reference.Result.EpochsRun, resumed.Result.EpochsRun);
        Assert.Equal(reference.Result.Steps, resumed.Result.Steps);
        Assert.Equal(reference.Result.BestEpoch, resumed.Result.BestEpoch);
        Assert.Equal(reference.Result.Valid, resumed.Result.Valid);
        Assert.Equal(reference.Result.Test, resumed.Result.Test);
        Assert.Equal(File.ReadAllBytes(reference.Run.UserEmbeddings), File.ReadAllBytes(resumed.Run.UserEmbeddings));
    }
}
