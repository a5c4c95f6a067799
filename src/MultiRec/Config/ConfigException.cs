// Configuration errors: unknown keys, wrong types, malformed YAML. Names the source and key.
namespace MultiRec.Config;

/// <summary>A configuration error. The message names the source (file or --set) and, when known, the line and key.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>A configuration error in <paramref name="source"/> (a file, --set or an option), at <paramref name="line"/> when known.</summary>
    public ConfigException(string source, string problem, int? line = null)
        : base(line is { } l ? $"{source}:{l}: {problem}" : $"{source}: {problem}")
    {
        Source = source;
        Line = line;
    }

    /// <summary>Where the bad value came from: a file path, "--set" or "defaults".</summary>
    public new string Source { get; }

    /// <summary>1-based line in the source file, when known.</summary>
    public int? Line { get; }
}
