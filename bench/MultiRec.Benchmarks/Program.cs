// Benchmark entry point: `dotnet run -c Release --project bench/MultiRec.Benchmarks -- <suite>`.
using MultiRec.Benchmarks;

var suite = args.Length > 0 ? args[0] : "";
switch (suite)
{
    case "engine":
        return EngineBench.Run(args[1..]);
    default:
        Console.WriteLine("usage: MultiRec.Benchmarks <suite> [options]; suites: engine");
        return suite.Length == 0 ? 0 : 2;
}
