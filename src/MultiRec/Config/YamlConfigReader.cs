// Reads flat YAML configuration files and --set key=value pairs into config layers.
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiRec.Config;

/// <summary>Parses configuration text. Files are flat mappings of key to scalar or list of scalars; anything
/// else (malformed YAML, a second document, nested mappings) is a <see cref="ConfigException"/>.</summary>
public static class YamlConfigReader
{
    /// <summary>Longest value echoed back in an error message.</summary>
    private const int EchoLimit = 80;

    /// <summary>Reads a YAML file into a layer; errors name the file and line.</summary>
    public static ConfigLayer ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, "config file not found");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, "cannot read the config file: " + e.Message);
        }

        return Parse(text, path);
    }

    /// <summary>Parses YAML text (a flat mapping) into a layer named by <paramref name="source"/>.</summary>
    public static ConfigLayer Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException(source, "malformed YAML: " + Shorten(e.Message), (int)Math.Min(e.Start.Line, int.MaxValue));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            // YamlDotNet's scanner throws these for some malformed inputs (an unclosed flow sequence at the end).
            throw new ConfigException(source, "malformed YAML: " + Shorten(e.Message));
        }

        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        if (stream.Documents.Count > 1)
        {
            throw new ConfigException(source, "more than one YAML document ('---'): a config is one flat mapping", (int)Math.Min(stream.Documents[1].RootNode.Start.Line, int.MaxValue));
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new ConfigLayer(source, values);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new ConfigException(source, "expected a mapping of key: value at the top level", LineOf(stream.Documents[0].RootNode));
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var line = LineOf(keyNode);
            if (keyNode is not YamlScalarNode { Value: { } key } || !IsPlainName(key))
            {
                throw new ConfigException(source, "keys must be plain names (letters, digits, '_')", line);
            }

            if (values.ContainsKey(key))
            {
                throw new ConfigException(source, $"key '{key}' appears twice", line);
            }

            values[key] = valueNode switch
            {
                YamlScalarNode s => new ConfigValue(source, line, s.Value ?? "", null),
                YamlSequenceNode seq => new ConfigValue(source, line, null, seq.Children.Select(c => c is YamlScalarNode cs
                    ? cs.Value ?? ""
                    : throw new ConfigException(source, $"key '{key}': list entries must be scalars", LineOf(c))).ToList()),
                _ => throw new ConfigException(source, $"key '{key}': nested mappings are not supported (configs are flat)", line),
            };
        }

        return new ConfigLayer(source, values);
    }

    /// <summary>Parses `key=value` pairs from the command line; the value is YAML (e.g. `n_layers=[1,2]`).
    /// The key must be a plain name and the value one line; anything the value adds beyond it is an error.</summary>
    public static ConfigLayer ParseSetPairs(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new ConfigException("--set", $"'{Shorten(pair)}' is not of the form key=value");
            }

            var key = pair[..eq].Trim();
            var raw = pair[(eq + 1)..];
            if (!IsPlainName(key))
            {
                throw new ConfigException("--set", $"'{Shorten(key)}' is not a plain key name (letters, digits, '_'; no quotes)");
            }

            if (raw.IndexOfAny(['\n', '\r']) >= 0)
            {
                throw new ConfigException("--set", $"key '{key}': the value spans several lines; give one value per --set");
            }

            var layer = Parse(key + ": " + raw, "--set");
            if (layer.Values.Count != 1 || !layer.Values.TryGetValue(key, out var value))
            {
                throw new ConfigException("--set", $"key '{key}': '{Shorten(raw)}' is not a single value");
            }

            values[key] = value with { Line = null };
        }

        return new ConfigLayer("--set", values);
    }

    /// <summary>True for a key of ASCII letters, digits and underscores (what the schema's snake_case names are).</summary>
    public static bool IsPlainName(string key)
    {
        if (key.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Cuts text echoed in an error message to a readable length.</summary>
    public static string Shorten(string text) => text.Length <= EchoLimit ? text : text[..EchoLimit] + $"... ({text.Length} characters)";

    private static int LineOf(YamlNode node) => (int)Math.Min(node.Start.Line, int.MaxValue);
}
