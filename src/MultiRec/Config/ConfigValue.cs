// One configuration value as written in a layer: a scalar string or a list of scalar strings, with its origin.
namespace MultiRec.Config;

/// <summary>A raw value from one layer (before typing). Lists come from YAML sequences or [a, b] in --set.</summary>
public sealed record ConfigValue(string Source, int? Line, string? Scalar, IReadOnlyList<string>? List)
{
    /// <summary>True for a YAML sequence.</summary>
    public bool IsList => List is not null;

    /// <summary>The value as YAML text (for the resolved config file).</summary>
    public string ToYaml() => IsList ? "[" + string.Join(", ", List!.Select(Quote)) + "]" : Quote(Scalar ?? "");

    private static string Quote(string s) =>
        s.Length == 0 || s.IndexOfAny([':', '#', '[', ']', ',', '{', '}', '\'', '"']) >= 0 || s != s.Trim() ? "\"" + s.Replace("\"", "\\\"") + "\"" : s;
}

/// <summary>One layer of configuration (a YAML file, or the --set pairs), in key order of appearance.</summary>
public sealed class ConfigLayer
{
    /// <summary>A layer named <paramref name="source"/> holding <paramref name="values"/> by key.</summary>
    public ConfigLayer(string source, IReadOnlyDictionary<string, ConfigValue> values)
    {
        Source = source;
        Values = values;
    }

    /// <summary>Name of the layer's origin (a path or "--set").</summary>
    public string Source { get; }

    /// <summary>Keys and raw values of this layer.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Values { get; }
}
