// Hostile input through the command line: every failure is a named error (exit 1 or 2), the last-resort handler
// prints one line with exit 70, serve --urls is validated (S8), and run folders are never overwritten or
// corrupted by surprise (D2, D3) nor left with temporary files (D1).
using MultiRec.Cli;
using MultiRec.Training;

namespace MultiRec.Tests.Cli;

public class HostileInputTests
{
    private static readonly string Tiny = Path.Combine(TestPaths.Fixtures, "bm3", "tiny");
    private static readonly string[] Small = ["--quiet", "--set", "embedding_size=8", "--set", "train_batch_size=8", "--set", "threads=1", "--set", "epochs=1"];

    [Fact]
    public void LastResortHandler_PrintsOneLine_Exit70_AndWritesTheDetails()
    {
        using var stderr = new StringWriter();
        int code;
        try
        {
            throw new InvalidOperationException("boom\nsecond line");
        }
        catch (Exception e)
        {
            code = CliApp.Report(e, stderr);
        }

        Assert.Equal(CliApp.InternalError, code);
        Assert.Equal(70, code);
        var text = stderr.ToString();
        Assert.Single(text.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("internal error: InvalidOperationException: boom second line", text);
        Assert.DoesNotContain("   at ", text);
        var path = text[(text.IndexOf("details in ", StringComparison.Ordinal) + "details in ".Length)..].Split(' ')[0];
        try
        {
            Assert.Contains("boom", File.ReadAllText(path));
            Assert.Contains("   at ", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WrappedNamedErrors_KeepTheirExitCode()
    {
        using var stderr = new StringWriter();
        var inner = new MultiRec.Data.DataFormatException("f.inter", "bad row", 3);
        Assert.Equal(1, CliApp.Report(new AggregateException(inner), stderr));
        Assert.Equal("error: f.inter:3: bad row", stderr.ToString().TrimEnd());
    }

    [Fact]
    public void HugeMessages_AreCut()
    {
        using var stderr = new StringWriter();
        CliApp.Report(new MultiRec.Data.DataFormatException("f", new string('x', 5_000_000) + "\u0001"), stderr);
        Assert.True(stderr.ToString().Length < 2 * ErrorText.MaxChars);
        Assert.Contains("message cut", stderr.ToString());
    }

    [Theory]
    [InlineData("notaurl", "expected http://")]
    [InlineData("https://127.0.0.1:5813", "https needs a certificate")]
    [InlineData("http://127.0.0.1:99999", "0..65535")]
    [InlineData("http://:5080", "host")]
    [InlineData("http://127.0.0.1:5080/api", "path")]
    [InlineData("http://127.0.0.1:5080;ftp://x", "ftp://x")]
    public void Serve_BadUrls_AreUsageErrors(string urls, string mention)
    {
        using var dir = TestPaths.NewTempDir();
        HostileCliAssert.NamedError(2, ["serve", "--run", dir.Path, "--urls", urls], "--urls", mention);
    }

    [Fact]
    public void Serve_BadKeyOrCertificateFiles_AreUsageErrorsNamingTheOption()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("key"), "short\n");
        HostileCliAssert.NamedError(2, ["serve", "--run", dir.Path, "--api-key-file", dir.File("key")], "--api-key-file", "at least 16 characters");
        HostileCliAssert.NamedError(2, ["serve", "--run", dir.Path, "--api-key-file", dir.File("absent")], "--api-key-file", "cannot read");
        HostileCliAssert.NamedError(2, ["serve", "--run", dir.Path, "--https-cert-password-file", dir.File("key")], "needs --https-cert");
        File.WriteAllText(dir.File("bad.pfx"), "not a certificate");
        HostileCliAssert.NamedError(2, ["serve", "--run", dir.Path, "--urls", "https://127.0.0.1:0", "--https-cert", dir.File("bad.pfx")], "--https-cert", "cannot load the certificate");
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:5080/")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://0.0.0.0")]
    public void GoodUrls_PassTheCheck(string url) => MultiRec.AspNetCore.ListenAddress.Check(url);

    [Fact]
    public void Train_IntoANonEmptyFolder_RefusesUnlessForced()
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        Assert.Equal(0, CliRunner.Run(["train", "--data", Tiny, "--out", run, .. Small]).ExitCode);
        var metrics = File.ReadAllBytes(Path.Combine(run, "metrics.jsonl"));
        var best = File.ReadAllBytes(Path.Combine(run, "best.safetensors"));

        HostileCliAssert.NamedError(2, ["train", "--data", Tiny, "--out", run, .. Small, "--set", "seed=5"], "not empty", "--force");
        Assert.Equal(metrics, File.ReadAllBytes(Path.Combine(run, "metrics.jsonl")));
        Assert.Equal(best, File.ReadAllBytes(Path.Combine(run, "best.safetensors")));

        Assert.Equal(0, CliRunner.Run(["train", "--data", Tiny, "--out", run, "--force", .. Small, "--set", "seed=5"]).ExitCode);
        Assert.NotEqual(best, File.ReadAllBytes(Path.Combine(run, "best.safetensors")));
    }

    [Fact]
    public void Train_OutIsAFile_IsAUsageError()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File("f"), "x");
        HostileCliAssert.NamedError(2, ["train", "--data", Tiny, "--out", dir.File("f"), .. Small], "is a file");
    }

    [Fact]
    public void FailedResumeWithSet_LeavesTheRunAsItWas()
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        Assert.Equal(0, CliRunner.Run(["train", "--data", Tiny, "--out", run, .. Small]).ExitCode);
        var before = Snapshot(run);

        HostileCliAssert.NamedError(1, ["train", "--resume", run, "--quiet", "--set", "embedding_size=16"], "last.safetensors", "shape");
        Assert.Equal(before, Snapshot(run));

        var resumed = CliRunner.Run("train", "--resume", run, "--quiet", "--set", "epochs=2");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resumed with --set epochs=2", File.ReadAllText(Path.Combine(run, "config.yaml")));
    }

    [Fact]
    public void Resume_RemovesTheTempFilesOfAKilledRun()
    {
        using var dir = TestPaths.NewTempDir();
        var run = dir.File("run");
        Assert.Equal(0, CliRunner.Run(["train", "--data", Tiny, "--out", run, .. Small]).ExitCode);
        var stale = Path.Combine(run, $".last.safetensors.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, new byte[1000]);
        var keep = Path.Combine(run, ".notes.tmp");
        File.WriteAllText(keep, "not ours");

        var resumed = CliRunner.Run("train", "--resume", run, "--quiet", "--set", "epochs=2");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(keep));
    }

    [Fact]
    public void AtomicFile_RemovesItsTempFile_WhenClosingFailsAgain()
    {
        using var dir = TestPaths.NewTempDir();
        var target = dir.File("out.bin");
        using (var file = new MultiRec.Data.AtomicFile(target))
        {
            file.Stream.Write(new byte[100]);
            // The buffered bytes cannot be flushed any more (as on a full disk): closing throws inside Dispose.
            ((FileStream)file.Stream).SafeFileHandle.Dispose();
        }

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void RunFolder_RemovesOnlyItsOwnStaleTempFiles()
    {
        using var dir = TestPaths.NewTempDir();
        File.WriteAllText(dir.File($".a.npy.{Guid.NewGuid():N}.tmp"), "x");
        File.WriteAllText(dir.File(".a.npy.123.tmp"), "x");
        File.WriteAllText(dir.File("b.tmp"), "x");
        Assert.Equal(1, new RunFolder(dir.Path).RemoveStaleTempFiles());
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder).ToDictionary(Path.GetFileName, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))!;
}
