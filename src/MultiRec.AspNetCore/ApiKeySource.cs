// Where the standalone server's API key comes from: a file or the MULTIREC_API_KEY variable, never the command line.
namespace MultiRec.AspNetCore;

/// <summary>Reads and checks the API key of the standalone server.</summary>
public static class ApiKeySource
{
    /// <summary>The environment variable read when no key file is given.</summary>
    public const string EnvironmentVariable = "MULTIREC_API_KEY";

    /// <summary>Fewest characters a key may have.</summary>
    public const int MinLength = 16;

    /// <summary>The key from <paramref name="file"/> (its content without surrounding white space) when given,
    /// else from <see cref="EnvironmentVariable"/>; null when neither is set.</summary>
    /// <exception cref="ArgumentException">The file cannot be read, or the key is too short or holds white space.</exception>
    public static string? Read(string? file, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (file is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"--api-key-file {file}: cannot read it ({e.Message})", e);
            }

            return Check(text.Trim(), $"--api-key-file {file}");
        }

        var fromEnvironment = environment(EnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? null : Check(fromEnvironment.Trim(), EnvironmentVariable);
    }

    /// <summary>Returns the key when it has at least <see cref="MinLength"/> characters and no white space or
    /// control characters; throws an <see cref="ArgumentException"/> naming <paramref name="source"/> otherwise.</summary>
    public static string Check(string key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinLength)
        {
            throw new ArgumentException($"{source}: the API key must have at least {MinLength} characters (got {key.Length})");
        }

        if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"{source}: the API key must not contain white space or control characters");
        }

        return key;
    }
}
