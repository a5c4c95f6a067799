// `multirec export --to postgres://…`: every user's top-K loaded by binary COPY into a fresh table swapped in atomically.
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using MultiRec.Serving;
using Npgsql;

namespace MultiRec.Postgres;

/// <summary>
/// Loads every user's top-K into <c>schema.table (user_id text primary key, items text[] not null, scores real[] not null)</c>.
/// One transaction creates <c>table_load_&lt;random&gt;</c>, fills it by binary COPY straight from the ranking
/// pipeline, adds the primary key, drops the old table and renames the new one (and its key index) into place.
/// Readers see the old table until the commit and the new one after it; any failure, including a killed
/// connection or process, rolls the whole transaction back: the old table stays as it was and no load table is left.
/// </summary>
public static class PostgresExport
{
    /// <summary>Exports every user's top-K of a loaded run (<see cref="RecommenderRun.Load"/>); throws
    /// <see cref="PostgresExportException"/> for connection and server errors.</summary>
    public static PostgresExportSummary Write(
        RecommenderRun run, PostgresTarget target, ExportOptions? options = null, IProgress<ExportProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Write(run.Model, target, options, progress, cancel);
    }

    /// <summary>Exports every user's top-K; throws <see cref="PostgresExportException"/> for connection and server errors.</summary>
    public static PostgresExportSummary Write(
        ServingModel model, PostgresTarget target, ExportOptions? options = null, IProgress<ExportProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new ExportOptions();
        options.Validate();
        var clock = Stopwatch.StartNew();
        var load = $"{target.Table}_load_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var schema = target.Schema;
        try
        {
            using var connection = new NpgsqlConnection(target.ConnectionString().ConnectionString);
            connection.Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, $"CREATE TABLE {schema}.{load} (user_id text NOT NULL, items text[] NOT NULL, scores real[] NOT NULL)");
            var counts = Copy(connection, model, $"{schema}.{load}", options, progress, cancel);
            Execute(connection, $"ALTER TABLE {schema}.{load} ADD CONSTRAINT {load}_pkey PRIMARY KEY (user_id)");
            Execute(connection, $"DROP TABLE IF EXISTS {target.QualifiedTable}");
            Execute(connection, $"ALTER TABLE {schema}.{load} RENAME TO {target.Table}");
            Execute(connection, $"ALTER INDEX {schema}.{load}_pkey RENAME TO {target.Table}_pkey");
            transaction.Commit();
            return new PostgresExportSummary(target.QualifiedTable, target.Describe(), counts.Users, counts.Recommendations, counts.K, options.Exclude, clock.Elapsed);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new PostgresExportException($"PostgreSQL export to {target.Describe()} failed: {Explain(e, target.Password)}", e);
        }
    }

    private static ExportCounts Copy(
        NpgsqlConnection connection, ServingModel model, string table, ExportOptions options, IProgress<ExportProgress>? progress, CancellationToken cancel)
    {
        var importer = connection.BeginBinaryImport($"COPY {table} (user_id, items, scores) FROM STDIN (FORMAT BINARY)");
        var completed = false;
        try
        {
            var counts = RecommendationExport.Stream(model, new PostgresRowWriter(importer, model.ItemIds), options, progress, cancel);
            importer.Complete();
            completed = true;
            return counts;
        }
        finally
        {
            try
            {
                importer.Dispose();
            }
            catch (Exception) when (!completed)
            {
                // Cancelling a COPY on a failed or broken connection may throw too; the first error is the one to report
                // (the transaction is rolled back either way).
            }
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The error and its causes in one line, with the password (if any) masked.</summary>
    private static string Explain(Exception e, string? password)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (!parts.Contains(x.Message))
            {
                parts.Add(x.Message);
            }
        }

        var text = string.Join(": ", parts);
        return string.IsNullOrEmpty(password) ? text : text.Replace(password, "***", StringComparison.Ordinal);
    }
}

/// <summary>What a PostgreSQL export loaded: the table, the server, users, rows' items in all, K, exclusion and time.</summary>
public sealed record PostgresExportSummary(string Table, string Server, int Users, long Recommendations, int K, ExcludeMode Exclude, TimeSpan Elapsed);
