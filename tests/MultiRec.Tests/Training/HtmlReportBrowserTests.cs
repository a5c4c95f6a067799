// report.html and compare.html opened in headless Chromium (Debian's chromium): they render, and the page logs no
// console message. Skipped, with the reason, where Chromium is not installed.
using System.Diagnostics;
using MultiRec.Training;
using MultiRec.Training.Comparison;

namespace MultiRec.Tests.Training;

public class HtmlReportBrowserTests
{
    private static readonly string Tiny = Path.Combine(TestPaths.Fixtures, "bm3", "tiny");

    [SkippableFact]
    public void RunReport_And_ComparePage_RenderWithoutConsoleMessages()
    {
        var chromium = FindChromium();
        Skip.If(chromium is null, "Chromium is not installed (apt-get install chromium)");
        using var dir = TestPaths.NewTempDir();

        var outcome = TrainingSession.Train(new TrainRequest { DataDir = Tiny, OutDir = dir.File("run"), Set = ["embedding_size=8", "train_batch_size=8", "threads=1", "epochs=3"] });
        var report = outcome.Run.ReportHtml;
        var html = File.ReadAllText(report);
        Assert.Contains("<caption>test (11 users)</caption>", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("embedding_size: 8", html);
        AssertRendersCleanly(chromium!, report, dir.File("report.png"));

        var runs = ComparisonRunner.Run(new ComparisonRequest { DataDir = Tiny, Models = ["BM3"], Seeds = [1], Set = ["embedding_size=8", "train_batch_size=8", "threads=1", "epochs=2"], OutDir = dir.File("cmp") });
        ComparisonTable.Build("tiny", grid: false, runs).Write(dir.File("cmp"));
        AssertRendersCleanly(chromium!, dir.File("cmp/compare.html"), dir.File("compare.png"));
    }

    [SkippableFact]
    public void ConsoleCheck_CatchesAPageThatLogsAnError()
    {
        var chromium = FindChromium();
        Skip.If(chromium is null, "Chromium is not installed (apt-get install chromium)");
        using var dir = TestPaths.NewTempDir();
        var page = dir.File("bad.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom');</script></body></html>");
        var (_, console) = Render(chromium!, page, dir.File("bad.png"));
        Assert.Contains(console, l => l.Contains("boom", StringComparison.Ordinal));
    }

    private static void AssertRendersCleanly(string chromium, string page, string screenshot)
    {
        var (exitCode, console) = Render(chromium, page, screenshot);
        Assert.Equal(0, exitCode);
        Assert.Empty(console);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is (nearly) empty");
    }

    /// <summary>Screenshots the page; returns the exit code and the lines Chromium logged from the page's console.</summary>
    private static (int ExitCode, List<string> Console) Render(string chromium, string page, string screenshot)
    {
        var profile = Path.Combine(Path.GetDirectoryName(screenshot)!, "profile-" + Path.GetFileNameWithoutExtension(screenshot));
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--log-level=0",
            "--user-data-dir=" + profile, "--window-size=1200,1600", "--screenshot=" + screenshot, new Uri(page).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 2 minutes");
        }

        var console = stderr.Result.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
        _ = stdout.Result;
        return (process.ExitCode, console);
    }

    private static string? FindChromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
}
