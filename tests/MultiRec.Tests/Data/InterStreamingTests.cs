// The streaming .inter reader (files over 256 MB, including over 2 GB) gives the rows and errors of the whole-file
// parser, whatever the buffer size; checked on the fuzz suite's mutations with small buffers.
using System.Text;
using MultiRec.Data;
using MultiRec.Tests.Fuzz;

namespace MultiRec.Tests.Data;

public class InterStreamingTests
{
    [Theory]
    [InlineData(48)]
    [InlineData(61)]
    [InlineData(4096)]
    public void Streaming_MatchesWholeFileParsing(int bufferBytes)
    {
        var random = new Random(11);
        var agreed = 0;
        for (var n = 0; n < 400; n++)
        {
            var seed = FuzzTargets.Inter.Seeds[n % FuzzTargets.Inter.Seeds.Count];
            var input = n < 2 ? seed : Mutator.Mutate(seed, random);
            var whole = Outcome(() => InterFile.Parse(input, "f.inter"));
            var streamed = Outcome(() => InterFile.ReadStreaming(new MemoryStream(input), "f.inter", bufferBytes));
            if (streamed.StartsWith("f.inter:", StringComparison.Ordinal) && streamed.Contains("is longer than", StringComparison.Ordinal))
            {
                continue; // a line beyond the (tiny) buffer: the one refusal only the streaming reader has
            }

            Assert.True(whole == streamed, $"case {n}: whole-file '{whole}' vs streaming '{streamed}' for {Encoding.UTF8.GetString(input)}");
            agreed++;
        }

        Assert.True(agreed > 150, $"only {agreed} cases compared");
    }

    [Fact]
    public void LongLine_BeyondTheBuffer_IsNamed()
    {
        var text = "userID\titemID\tx_label\n0\t1\t0\n" + new string('1', 100) + "\t1\t0\n";
        var e = Assert.Throws<DataFormatException>(() => InterFile.ReadStreaming(new MemoryStream(Encoding.ASCII.GetBytes(text)), "f.inter", 64));
        Assert.Equal("f.inter:3: line 3 is longer than 64 bytes", e.Message);
    }

    private static string Outcome(Func<InterRows> read)
    {
        try
        {
            var rows = read();
            return string.Join(";", Enumerable.Range(0, rows.Count).Select(i => $"{rows.Users[i]},{rows.Items[i]},{rows.Labels[i]}"));
        }
        catch (DataFormatException e)
        {
            return e.Message;
        }
    }
}
