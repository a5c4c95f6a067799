// Benchmark entry point: `dotnet run -c Release --project bench/MultiRec.Benchmarks -- <suite> [args]`.
using MultiRec.Benchmarks;

if (args.Length == 0 || !Suites.All.TryGetValue(args[0], out var suite))
{
    Console.WriteLine("usage: MultiRec.Benchmarks <suite> [args]");
    foreach (var (name, entry) in Suites.All)
    {
        Console.WriteLine($"  {name,-12} {entry.Description}");
    }

    return args.Length == 0 ? 0 : 2;
}

return suite.Run(args[1..]);
