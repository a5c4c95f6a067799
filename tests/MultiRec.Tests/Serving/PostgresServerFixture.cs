// A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temp folder, unprivileged, on a free local port.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MultiRec.Tests.Serving;

/// <summary>
/// Starts a private PostgreSQL server (Debian's binaries from /usr/lib/postgresql/VERSION/bin, or pg_ctl on the PATH)
/// in a temporary folder on 127.0.0.1 and a free port, with password (SCRAM) authentication for <see cref="User"/>.
/// initdb refuses to run as root, so under root the cluster runs as the `postgres` system user via runuser.
/// Stopped and deleted on Dispose. <see cref="SkipReason"/> says why tests must skip when it could not start.
/// </summary>
public sealed class PostgresServerFixture : IDisposable
{
    public const string User = "multirec_test";
    public const string Password = "pw-Secret#42";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "multirec-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string? _bin;
    private readonly bool _asPostgresUser = Environment.IsPrivilegedProcess;
    private bool _started;

    public PostgresServerFixture()
    {
        _bin = FindBinDir();
        if (_bin is null)
        {
            SkipReason = "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's postgresql package (.ci/run does)";
            return;
        }

        try
        {
            Start();
        }
        catch (Exception e)
        {
            SkipReason = $"the test PostgreSQL cluster could not start: {e.Message}";
            Dispose();
        }
    }

    /// <summary>Null when the server is up; otherwise why PostgreSQL tests skip.</summary>
    public string? SkipReason { get; }

    public int Port { get; private set; }

    /// <summary>A postgres:// URL for the export command (password in the URL unless told otherwise).</summary>
    public string Url(string table, bool withPassword = true) =>
        $"postgres://{User}{(withPassword ? ":" + Uri.EscapeDataString(Password) : "")}@127.0.0.1:{Port}/postgres?table={table}";

    public NpgsqlConnection Connect()
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Database=postgres;Username={User};Password={Password};Pooling=false;Timeout=15;Command Timeout=60");
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        if (_started)
        {
            _started = false;
            try
            {
                Run("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Best effort: the folder is deleted below either way.
            }
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private void Start()
    {
        Directory.CreateDirectory(_dir);
        var passwordFile = Path.Combine(_dir, "password");
        File.WriteAllText(passwordFile, Password + "\n");
        if (_asPostgresUser)
        {
            RunTool("chown", "-R", "postgres:", _dir);
        }

        var data = Path.Combine(_dir, "data");
        Run("initdb", "-D", data, "-U", User, "--pwfile=" + passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
        Port = FreePort();
        _started = true;
        Run("pg_ctl", "-D", data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "120", "-o",
            $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = Connect();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(250);
            }
        }
    }

    /// <summary>Runs a PostgreSQL binary (as the postgres user when this process is root); throws with its output on failure.</summary>
    private void Run(string tool, params string[] args)
    {
        var path = Path.Combine(_bin!, tool);
        if (_asPostgresUser)
        {
            RunTool("runuser", ["-u", "postgres", "--", path, .. args]);
        }
        else
        {
            RunTool(path, args);
        }
    }

    private void RunTool(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} timed out");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args.Take(3))} exited {process.ExitCode}: {stderr.Result.Trim()} {stdout.Trim()}");
        }
    }

    /// <summary>The newest /usr/lib/postgresql/VERSION/bin holding initdb and pg_ctl, else the PATH's folder of pg_ctl.</summary>
    private static string? FindBinDir()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (debian is not null)
        {
            return debian;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
