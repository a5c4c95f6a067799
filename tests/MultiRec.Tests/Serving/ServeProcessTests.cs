// `multirec serve` as a real process: it prints its address, answers, and stops cleanly (exit 0) on SIGTERM.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MultiRec.Tests.Serving;

public partial class ServeProcessTests
{
    private const int SigTerm = 15;

    [SkippableFact]
    public async Task Serve_StopsGracefullyOnSigterm()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is a POSIX signal");
        var cli = Path.Combine(AppContext.BaseDirectory, "MultiRec.Cli.dll");
        Skip.IfNot(File.Exists(cli), "MultiRec.Cli.dll is not beside the tests");
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 40, items: 30, dims: 4);
        var start = new ProcessStartInfo(TestProcesses.DotnetHost(), [cli, "serve", "--run", run, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var banner = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var address = AddressPattern().Match(banner ?? "").Value;
            Assert.True(address.Length > 0, $"no address in '{banner}'; stderr: {await ReadSoon(process.StandardError)}");
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Contains("\"status\":\"ok\"", await client.GetStringAsync("/healthz"));

            Assert.Equal(0, kill(process.Id, SigTerm));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, process.ExitCode);
            Assert.Equal("stopped", (await process.StandardOutput.ReadToEndAsync()).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<string> ReadSoon(StreamReader reader)
    {
        try
        {
            return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            return "(no output)";
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/?")]
    private static partial Regex AddressPattern();
}
