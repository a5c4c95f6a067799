// Benchmark entry point: `dotnet run -c Release --project bench/MultiRec.Benchmarks -- <suite>`.
Console.WriteLine("usage: MultiRec.Benchmarks <suite>; suites are listed by each issue's benchmark");
return 0;
