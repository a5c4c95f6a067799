// Where an internal error's details go: a file in the temporary folder, so stderr keeps one line.
using System.Globalization;

namespace MultiRec.Cli;

/// <summary>Writes the full exception (type, message, stack trace) of an internal error to a file.</summary>
public static class InternalErrorLog
{
    /// <summary>Writes <paramref name="e"/> to multirec-internal-error-&lt;time&gt;-&lt;pid&gt;.txt in the temporary
    /// folder; returns the sentence telling the user where to look (or that it could not be written).</summary>
    public static string Write(Exception e)
    {
        try
        {
            var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var path = Path.Combine(Path.GetTempPath(), $"multirec-internal-error-{stamp}-{Environment.ProcessId}.txt");
            File.WriteAllText(path, $"multirec {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n\n{e}\n");
            return $"details in {path} (please attach it to a bug report)";
        }
        catch (Exception write) when (write is IOException or UnauthorizedAccessException)
        {
            return "the details could not be written to the temporary folder";
        }
    }
}
