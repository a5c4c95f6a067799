// `export-pg` suite: rows/s of the all-users top-K export loaded into a PostgreSQL server (binary COPY + atomic swap).
using System.Globalization;
using MultiRec.Postgres;
using MultiRec.Serving;

namespace MultiRec.Benchmarks;

/// <summary>
/// `export-pg --to postgres://user[:password]@host[:port]/database [--users N] [--items N] [--dims N] [--k N] [--repeat N]`:
/// builds a Baby-sized model (19,445 users × 7,050 items × 64, random embeddings, synthetic interactions), exports
/// every user's top-K to a CSV file for reference, then into the server N times (default 3), printing each load's rows/s.
/// </summary>
internal static class ExportPgBench
{
    public static int Run(string[] args)
    {
        var at = Array.IndexOf(args, "--to");
        if (at < 0 || at + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: export-pg --to postgres://user[:password]@host[:port]/database[?table=NAME] [--users N] [--items N] [--dims N] [--k N] [--repeat N]");
            return 2;
        }

        var target = PostgresTarget.Parse(args[at + 1]);
        var users = Option(args, "--users", 19_445);
        var items = Option(args, "--items", 7_050);
        var dims = Option(args, "--dims", 64);
        var k = Option(args, "--k", 50);
        var repeat = Option(args, "--repeat", 3);
        var temp = Path.Combine(Path.GetTempPath(), "multirec-export-pg-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var model = ServingModelLoader.Load(ServeBench.MakeRun(temp, users, items, dims));
            var options = new ExportOptions { K = k };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"export-pg: {users} users x {items} items, d={dims}, k={k}, {Environment.ProcessorCount} cores, into {target.QualifiedTable} at {target.Describe()}"));
            var csv = RecommendationExport.Write(model, Path.Combine(temp, "top.csv"), options);
            Print("csv file (reference)", csv.Users, csv.Elapsed);
            for (var n = 1; n <= repeat; n++)
            {
                var loaded = PostgresExport.Write(model, target, options);
                Print($"postgres load {n}", loaded.Users, loaded.Elapsed);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static void Print(string what, int rows, TimeSpan elapsed) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {what,-22} {elapsed.TotalSeconds,6:F2} s for {rows:N0} rows = {rows / elapsed.TotalSeconds,8:N0} rows/s"));

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
