// Bounded, seeded mutation fuzzing of the input readers: every input is accepted or refused with the project's
// error type (never another exception), and no case allocates more than a stated memory budget.
// CI runs a fixed number of cases; MULTIREC_FUZZ_CASES=N (per reader) or MULTIREC_FUZZ_SECONDS=S (per reader)
// runs longer, MULTIREC_FUZZ_SEED=S changes the seed. A failure names the reader, seed and case and keeps the input.
using System.Globalization;
using Xunit.Abstractions;

namespace MultiRec.Tests.Fuzz;

public class ReaderFuzzTests(ITestOutputHelper output)
{
    /// <summary>Cases per reader in CI (a few seconds for all readers together).</summary>
    public const int DefaultCases = 300;

    /// <summary>Managed bytes one case may allocate: a fixed 32 MiB plus 64 bytes per input byte.</summary>
    public const long FixedBudgetBytes = 32L << 20;

    public const long BudgetBytesPerInputByte = 64;

    public static TheoryData<string> Readers() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Readers))]
    public void EveryInput_IsAcceptedOrRefusedWithTheProjectsError(string reader)
    {
        var target = FuzzTargets.All.Single(t => t.Name == reader);
        var seed = Env("MULTIREC_FUZZ_SEED") ?? 20261202;
        var seconds = Env("MULTIREC_FUZZ_SECONDS");
        var cases = Env("MULTIREC_FUZZ_CASES") ?? (seconds is null ? DefaultCases : int.MaxValue);
        var deadline = seconds is { } s ? DateTime.UtcNow.AddSeconds(s) : DateTime.MaxValue;
        using var dir = TestPaths.NewTempDir();
        var path = dir.File(target.FileName);
        int accepted = 0, refused = 0, n = 0;
        for (; n < cases && DateTime.UtcNow < deadline; n++)
        {
            var random = new Random(unchecked((seed * 1_000_003) + (n * 7919)) ^ StableHash(reader));
            var input = n < target.Seeds.Count ? target.Seeds[n] : Mutator.Mutate(target.Seeds[random.Next(target.Seeds.Count)], random);
            File.WriteAllBytes(path, input);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Run(path, input);
                accepted++;
            }
            catch (Exception e) when (e.GetType() == target.Error)
            {
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{reader} case {n} (seed {seed}): {e.GetType().Name}: {e.Message}\ninput kept at {Keep(input, reader, n)}\n{e}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var budget = FixedBudgetBytes + (BudgetBytesPerInputByte * input.Length);
            Assert.True(allocated <= budget, $"{reader} case {n} (seed {seed}): allocated {allocated:N0} bytes for a {input.Length}-byte input (budget {budget:N0}); input kept at {Keep(input, reader, n)}");
        }

        output.WriteLine($"{reader}: {n} cases, {accepted} accepted, {refused} refused (seed {seed})");
        Assert.True(refused > 0, "the mutations never produced a refused input: the fuzzer is not reaching the reader's checks");
    }

    [Fact]
    public void Mutations_AreDeterministic()
    {
        var seedInput = FuzzTargets.Inter.Seeds[0];
        Assert.Equal(Mutator.Mutate(seedInput, new Random(5)), Mutator.Mutate(seedInput, new Random(5)));
    }

    /// <summary>FNV-1a of the reader name (string.GetHashCode differs between processes).</summary>
    private static int StableHash(string text)
    {
        var h = 2166136261u;
        foreach (var c in text)
        {
            h = unchecked((h ^ c) * 16777619u);
        }

        return (int)h;
    }

    private static int? Env(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string Keep(byte[] input, string reader, int n)
    {
        var path = Path.Combine(Path.GetTempPath(), $"multirec-fuzz-{reader}-{n}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }
}
