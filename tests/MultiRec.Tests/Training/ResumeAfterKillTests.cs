// Kills a real `multirec train` process mid-run and resumes it: the result must equal an uninterrupted run.
using System.Diagnostics;
using MultiRec.Training;

namespace MultiRec.Tests.Training;

public class ResumeAfterKillTests
{
    private const int KillAfterEpoch = 3;
    private static readonly string[] Settings = [.. TestCatalogs.Fast, "epochs=12", "stopping_step=100", "test_only_on_improvement=false"];

    [Fact]
    public async Task KilledRun_ResumedFromLastCheckpoint_EndsWithTheSameMetrics()
    {
        using var dir = TestPaths.NewTempDir();
        var data = TestCatalogs.Discriminating;
        var reference = TrainingSession.Train(new TrainRequest { DataDir = data, OutDir = dir.File("uninterrupted"), Set = Settings });
        Assert.True(reference.Result.BestEpoch > KillAfterEpoch, $"best epoch {reference.Result.BestEpoch} must come after the kill (epoch {KillAfterEpoch})");

        // The child freezes right after epoch 3 is saved and says so; the kill lands there, however slow the machine.
        var killedRun = dir.File("killed");
        var start = TestProcesses.Cli(["train", "--data", data, "--out", killedRun, "--quiet", .. Settings.SelectMany(s => new[] { "--set", s })]);
        start.Environment["MULTIREC_DEBUG_HOLD_AFTER_EPOCH"] = KillAfterEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            var holding = process.StandardError.ReadLineAsync();
            Assert.True(await Task.WhenAny(holding, Task.Delay(TimeSpan.FromMinutes(5))) == holding, "the child never reported holding");
            Assert.Equal($"holding after epoch {KillAfterEpoch} (MULTIREC_DEBUG_HOLD_AFTER_EPOCH)", await holding);
            Assert.False(process.HasExited);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Assert.Equal(KillAfterEpoch, MetricsLog.Read(Path.Combine(killedRun, "metrics.jsonl")).Count);
        var resumed = TrainingSession.Train(new TrainRequest { ResumeRun = killedRun });

        Assert.Equal(reference.Result.EpochsRun, resumed.Result.EpochsRun);
        Assert.Equal(reference.Result.Steps, resumed.Result.Steps);
        Assert.Equal(reference.Result.BestEpoch, resumed.Result.BestEpoch);
        Assert.Equal(reference.Result.Valid, resumed.Result.Valid);
        Assert.Equal(reference.Result.Test, resumed.Result.Test);
        Assert.Equal(TrainerTests.StrippedLog(reference.Run), TrainerTests.StrippedLog(resumed.Run));
        Assert.Equal(File.ReadAllBytes(reference.Run.UserEmbeddings), File.ReadAllBytes(resumed.Run.UserEmbeddings));
        TrainerTests.AssertSameTensors(reference.Run.LastCheckpoint, resumed.Run.LastCheckpoint);
    }
}
