// Tests of `export --to postgres://…` against a real throwaway PostgreSQL server (skipped only where none can start).
using System.Globalization;
using MultiRec.Postgres;
using MultiRec.Serving;
using MultiRec.Tests.Cli;
using Npgsql;

namespace MultiRec.Tests.Serving;

public class PostgresExportTests(PostgresServerFixture server) : IClassFixture<PostgresServerFixture>
{
    [SkippableFact]
    public void Cli_LoadsTheSameRowsAsTheCsvExport()
    {
        Skip.If(server.SkipReason is not null, server.SkipReason);
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 120, items: 90);

        var csv = CliRunner.Run("export", "--run", run, "--out", dir.File("top.csv"), "--k", "7", "--quiet");
        var pg = CliRunner.Run("export", "--run", run, "--to", server.Url("same_rows"), "--k", "7", "--quiet");

        Assert.True(csv.ExitCode == 0, csv.Stderr);
        Assert.True(pg.ExitCode == 0, pg.Stderr);
        Assert.Contains($"into table public.same_rows at 127.0.0.1:{server.Port}/postgres", pg.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServerFixture.Password, pg.Stdout + pg.Stderr, StringComparison.Ordinal);
        var expected = File.ReadLines(dir.File("top.csv")).Skip(1).Select(line => line.Split(','))
            .GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => (Items: g.Select(f => f[2]).ToArray(), Scores: g.Select(f => float.Parse(f[3], CultureInfo.InvariantCulture)).ToArray()));
        var rows = ReadTable("same_rows");
        Assert.Equal(120, rows.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (user, row) in rows)
        {
            Assert.StartsWith("U", user, StringComparison.Ordinal);
            Assert.Equal(expected[user].Items, row.Items);
            Assert.Equal(expected[user].Scores, row.Scores);
        }

        using var connection = server.Connect();
        using var query = new NpgsqlCommand("SELECT items FROM same_rows WHERE user_id = $1", connection) { Parameters = { new() { Value = "U00042" } } };
        Assert.Equal(expected["U00042"].Items, (string[])query.ExecuteScalar()!);
    }

    [SkippableFact]
    public void Cli_TakesThePasswordFromPgpassword()
    {
        Skip.If(server.SkipReason is not null, server.SkipReason);
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 20, items: 30, idMaps: false);
        var before = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", PostgresServerFixture.Password);
        try
        {
            var result = CliRunner.Run("export", "--run", run, "--to", server.Url("from_env", withPassword: false), "--k", "3", "--quiet");
            Assert.True(result.ExitCode == 0, result.Stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", before);
        }

        var rows = ReadTable("from_env");
        Assert.Equal(Enumerable.Range(0, 20).Select(u => u.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.All(rows.Values, r => Assert.Equal(3, r.Items.Length));
    }

    [SkippableFact]
    public void SecondExport_ReplacesTheTableWhileReadersSeeOnlyWholeTables()
    {
        Skip.If(server.SkipReason is not null, server.SkipReason);
        var target = PostgresTarget.Parse(server.Url("swapped"));
        var oldModel = ServingTestData.RandomModel(users: 50, items: 40, dims: 4, seed: 1);
        var newModel = ServingTestData.RandomModel(users: 80, items: 40, dims: 4, seed: 2);
        PostgresExport.Write(oldModel, target, new ExportOptions { K = 5 });
        var oldRows = ReadTable("swapped");
        Assert.Equal(50, oldRows.Count);

        // A reader that read the table before the swap: its transaction keeps seeing the complete old rows.
        using var reader = server.Connect();
        using var snapshot = reader.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        Assert.Equal(50L, Scalar(reader, "SELECT count(*) FROM swapped"));

        // Another reader polls with fresh statements throughout: always a whole table, never an error or a partial one.
        using var stop = new CancellationTokenSource();
        var counts = new List<long>();
        var poller = Task.Run(() =>
        {
            using var connection = server.Connect();
            while (!stop.IsCancellationRequested)
            {
                counts.Add(Scalar(connection, "SELECT count(*) FROM swapped"));
            }
        });

        var export = Task.Run(() => PostgresExport.Write(newModel, target, new ExportOptions { K = 5, ChunkUsers = 8 }));
        WaitUntil(() => Scalar(server, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'multirec export' AND wait_event_type = 'Lock'") == 1);
        Assert.False(export.IsCompleted);
        Assert.Equal(50L, Scalar(reader, "SELECT count(*) FROM swapped"));
        Assert.Equal(oldRows["7"].Items, (string[])Scalar<object>(reader, "SELECT items FROM swapped WHERE user_id = '7'"));
        snapshot.Commit();

        var summary = export.GetAwaiter().GetResult();
        Thread.Sleep(200);
        stop.Cancel();
        poller.GetAwaiter().GetResult();
        Assert.Equal((80, 400L), (summary.Users, summary.Recommendations));
        Assert.Equal(80L, Scalar(reader, "SELECT count(*) FROM swapped"));
        Assert.NotEmpty(counts);
        Assert.All(counts, c => Assert.Contains(c, new long[] { 50, 80 }));
        Assert.Equal(80L, counts[^1]);
        Assert.Equal(0L, LoadTables("swapped"));
        Assert.Equal(1L, Scalar(server, "SELECT count(*) FROM pg_indexes WHERE tablename = 'swapped' AND indexname = 'swapped_pkey'"));
    }

    [SkippableFact]
    public void FailureMidCopy_LeavesThePreviousTableExactly()
    {
        Skip.If(server.SkipReason is not null, server.SkipReason);
        var target = PostgresTarget.Parse(server.Url("kept"));
        PostgresExport.Write(ServingTestData.RandomModel(users: 30, items: 20, dims: 4, seed: 3), target, new ExportOptions { K = 4 });
        var before = ReadTable("kept");
        var other = ServingTestData.RandomModel(users: 60, items: 20, dims: 4, seed: 4);

        var injected = Assert.Throws<InvalidOperationException>(() => PostgresExport.Write(other, target, new ExportOptions { K = 4, ChunkUsers = 10 },
            new SynchronousProgress(p =>
            {
                if (p.UsersDone >= 20)
                {
                    throw new InvalidOperationException("injected failure");
                }
            })));
        Assert.Equal("injected failure", injected.Message);
        AssertSameRows(before, ReadTable("kept"));

        // The server ends the export's connection mid-COPY.
        Assert.Throws<PostgresExportException>(() => PostgresExport.Write(other, target, new ExportOptions { K = 4, ChunkUsers = 10 },
            new SynchronousProgress(p =>
            {
                if (p.UsersDone == 20)
                {
                    Scalar(server, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'multirec export'");
                }
            })));
        AssertSameRows(before, ReadTable("kept"));
        Assert.Equal(0L, LoadTables("kept"));
    }

    [Theory]
    [InlineData("mysql://u@127.0.0.1/db", "postgres://")]
    [InlineData("postgres://u@127.0.0.1/db?table=Bad-Name", "plain lower-case identifier")]
    [InlineData("postgres://u:hunter2@127.0.0.1", "one database")]
    public void Cli_BadUrl_ExitsTwoSayingWhy(string url, string expected)
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 10, items: 40);

        var result = CliRunner.Run("export", "--run", run, "--to", url, "--quiet");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_NeedsExactlyOneOfOutAndTo()
    {
        Assert.Equal(2, CliRunner.Run("export", "--run", "r", "--quiet").ExitCode);
        var both = CliRunner.Run("export", "--run", "r", "--out", "a.csv", "--to", "postgres://u@h/db");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("exactly one of --out", both.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_UnreachableServer_ExitsOneNamingHostAndPort()
    {
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 10, items: 40);
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var result = CliRunner.Run("export", "--run", run, "--to", $"postgres://app:hunter2@127.0.0.1:{port}/site", "--quiet");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"127.0.0.1:{port}/site", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Cli_WrongPassword_ExitsOneWithoutShowingIt()
    {
        Skip.If(server.SkipReason is not null, server.SkipReason);
        using var dir = TestPaths.NewTempDir();
        var run = ServingTestData.WriteRun(dir.Path, users: 10, items: 40);

        var result = CliRunner.Run("export", "--run", run, "--to", $"postgres://{PostgresServerFixture.User}:hunter2@127.0.0.1:{server.Port}/postgres", "--quiet");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"127.0.0.1:{server.Port}/postgres", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    private static void AssertSameRows(Dictionary<string, (string[] Items, float[] Scores)> expected, Dictionary<string, (string[] Items, float[] Scores)> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (user, row) in expected)
        {
            Assert.Equal(row.Items, actual[user].Items);
            Assert.Equal(row.Scores, actual[user].Scores);
        }
    }

    private static T Scalar<T>(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    private static long Scalar(NpgsqlConnection connection, string sql) => Convert.ToInt64(Scalar<object>(connection, sql), CultureInfo.InvariantCulture);

    private static long Scalar(PostgresServerFixture server, string sql)
    {
        using var connection = server.Connect();
        return Scalar(connection, sql);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting for the export to reach the swap");
            Thread.Sleep(50);
        }
    }

    private long LoadTables(string table) => Scalar(server, $"SELECT count(*) FROM pg_tables WHERE tablename LIKE '{table}\\_load\\_%'");

    private Dictionary<string, (string[] Items, float[] Scores)> ReadTable(string table)
    {
        using var connection = server.Connect();
        using var command = new NpgsqlCommand($"SELECT user_id, items, scores FROM {table}", connection);
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, (string[] Items, float[] Scores)>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0), (reader.GetFieldValue<string[]>(1), reader.GetFieldValue<float[]>(2)));
        }

        return rows;
    }

    /// <summary>An IProgress that runs the callback on the reporting thread.</summary>
    private sealed class SynchronousProgress(Action<ExportProgress> report) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => report(value);
    }
}
