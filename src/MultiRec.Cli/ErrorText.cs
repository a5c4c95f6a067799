// Error lines for the terminal: bounded length, no control characters, whatever the input echoed into them.
using System.Text;

namespace MultiRec.Cli;

/// <summary>Makes an error message safe to print: at most <see cref="MaxChars"/> characters on one line.</summary>
public static class ErrorText
{
    /// <summary>Longest message printed; longer ones are cut and say how long they were.</summary>
    public const int MaxChars = 1000;

    /// <summary>The message on one line, control characters shown as '?', cut to <see cref="MaxChars"/>.</summary>
    public static string Clip(string message)
    {
        var shown = message.Length <= MaxChars ? message : message[..MaxChars];
        var sb = new StringBuilder(shown.Length + 40);
        foreach (var c in shown)
        {
            sb.Append(c == '\n' ? ' ' : char.IsControl(c) || c == '\uFFFD' ? '?' : c);
        }

        if (message.Length > MaxChars)
        {
            sb.Append($"... (message cut, {message.Length} characters)");
        }

        return sb.ToString().TrimEnd();
    }
}
