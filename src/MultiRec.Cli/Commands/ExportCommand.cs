// `multirec export --run DIR (--out FILE.{csv,jsonl} | --to postgres://…) [--k 50] [--exclude train] [--quiet]`: top-K of every user.
using System.CommandLine;
using System.Globalization;
using MultiRec.Engine;
using MultiRec.Postgres;
using MultiRec.Serving;

namespace MultiRec.Cli.Commands;

/// <summary>The `export` verb: ranks every user in parallel chunks and streams the lists to one file or one PostgreSQL table, atomically.</summary>
public static class ExportCommand
{
    private const int BarWidth = 30;

    public static Command Create()
    {
        var run = new RunModelOptions();
        var outFile = new Option<string>("--out") { Description = "Output file: .csv (user_id,rank,item_id,score) or .jsonl (one object per user)." };
        var to = new Option<string>("--to")
        {
            Description = "PostgreSQL table instead of a file: postgres://user[:password]@host[:port]/database[?table=recommendations&schema=public] "
                + "(password also from PGPASSWORD); the table (user_id, items, scores) is replaced atomically.",
        };
        var k = new Option<int>("--k") { Description = "Items per user.", DefaultValueFactory = _ => 50 };
        var exclude = RunModelOptions.Exclude("Interactions removed from each user's candidates: none, train (the evaluation protocol), train+valid, or all.");
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar (it is also off when stderr is redirected)." };
        var cmd = new Command("export", "Write the top-K recommendations of every user to a CSV or JSON-lines file or a PostgreSQL table.") { outFile, to, k, exclude, threads, quiet };
        run.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var path = parse.GetValue(outFile);
            var url = parse.GetValue(to);
            if ((path is null) == (url is null))
            {
                throw new UsageException("give exactly one of --out FILE.csv|FILE.jsonl and --to postgres://user@host[:port]/database");
            }

            var topK = parse.GetValue(k);
            if (topK < 1)
            {
                throw new UsageException($"--k must be at least 1 (got {topK})");
            }

            // The destination is checked before the run is loaded, so a bad one is a usage error (exit 2).
            PostgresTarget? target = null;
            try
            {
                if (url is not null)
                {
                    target = PostgresTarget.Parse(url);
                }
                else
                {
                    _ = ExportFormats.FromPath(path!);
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new UsageException(e.Message);
            }

            if (parse.GetValue(threads) is > 0 and var n)
            {
                ComputeSettings.Threads = n;
            }

            var loadedRun = run.LoadRun(parse);
            var error = parse.InvocationConfiguration.Error;
            var showBar = !parse.GetValue(quiet) && !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
            var excluded = ExcludeModes.Parse(parse.GetValue(exclude)!);
            if (target is not null)
            {
                var loaded = PostgresExport.Write(loadedRun, target, new ExportOptions { K = topK, Exclude = excluded }, showBar ? new ProgressBar(error) : null);
                EndBar(error, showBar);
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"loaded top-{loaded.K} of {loaded.Users:N0} users ({loaded.Recommendations:N0} recommendations, excluded: {ExcludeModes.Name(loaded.Exclude)}) into table {loaded.Table} at {loaded.Server} in {loaded.Elapsed.TotalSeconds:F2} s ({loaded.Users / Math.Max(loaded.Elapsed.TotalSeconds, 1e-9):N0} rows/s)"));
                return CliApp.Success;
            }

            var summary = loadedRun.Export(path!, topK, excluded, showBar ? new ProgressBar(error) : null);
            EndBar(error, showBar);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote top-{summary.K} of {summary.Users:N0} users ({summary.Recommendations:N0} recommendations, excluded: {ExcludeModes.Name(summary.Exclude)}) to {summary.Path} in {summary.Elapsed.TotalSeconds:F2} s"));
            return CliApp.Success;
        });
        return cmd;
    }

    private static void EndBar(TextWriter error, bool showBar)
    {
        if (showBar)
        {
            error.WriteLine();
        }
    }

    /// <summary>A one-line bar redrawn in place at most ten times a second (and at the end).</summary>
    private sealed class ProgressBar(TextWriter error) : IProgress<ExportProgress>
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _lastDraw = TimeSpan.MinValue;

        public void Report(ExportProgress value)
        {
            var now = _clock.Elapsed;
            if (value.UsersDone < value.Users && now - _lastDraw < TimeSpan.FromMilliseconds(100))
            {
                return;
            }

            _lastDraw = now;
            var fraction = value.Users == 0 ? 1 : (double)value.UsersDone / value.Users;
            var done = (int)Math.Round(BarWidth * fraction);
            error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\rexport [{new string('#', done)}{new string('.', BarWidth - done)}] {value.UsersDone:N0}/{value.Users:N0} users {now.TotalSeconds:F1}s   "));
        }
    }
}
