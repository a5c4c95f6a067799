// Layered configuration: merges layers in order (later wins), rejects unknown keys, binds typed options records.
using System.Text;

namespace MultiRec.Config;

/// <summary>The merged configuration of all layers, validated against a schema.</summary>
public sealed class ResolvedConfig
{
    private readonly Dictionary<string, ConfigValue> _values;

    private ResolvedConfig(ConfigSchema schema, Dictionary<string, ConfigValue> values, IReadOnlyList<string> sources)
    {
        Schema = schema;
        _values = values;
        Sources = sources;
    }

    /// <summary>The schema keys were checked against.</summary>
    public ConfigSchema Schema { get; }

    /// <summary>Layer sources, in the order they were applied.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Raw merged values.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Values => _values;

    /// <summary>Merges layers in order; every key must be known and every value well typed
    /// (a list on a scalar key is kept as a grid axis when <paramref name="allowAxes"/> is set).</summary>
    public static ResolvedConfig Resolve(ConfigSchema schema, IEnumerable<ConfigLayer> layers, bool allowAxes = false)
    {
        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        var sources = new List<string>();
        foreach (var layer in layers)
        {
            sources.Add(layer.Source);
            foreach (var (name, value) in layer.Values)
            {
                if (!schema.TryGet(name, out var key))
                {
                    throw new ConfigException(value.Source, $"unknown key '{name}'{schema.Suggest(name)}", value.Line);
                }

                if (allowAxes && value.IsList && !key.IsListType)
                {
                    if (value.List!.Count == 0)
                    {
                        throw new ConfigException(value.Source, $"key '{name}': a grid axis needs at least one value, got []", value.Line);
                    }

                    foreach (var item in value.List!)
                    {
                        ConfigSchema.ConvertScalar(key, key.Type, item, value);
                    }
                }
                else
                {
                    ConfigSchema.Convert(key, value);
                }

                values[name] = value;
            }
        }

        return new ResolvedConfig(schema, values, sources);
    }

    /// <summary>Grid axes: scalar keys that hold a list, in key order.</summary>
    public IReadOnlyList<(string Key, IReadOnlyList<string> Values)> GridAxes() =>
        _values.Where(kv => kv.Value.IsList && Schema.TryGet(kv.Key, out var k) && !k.IsListType)
            .Select(kv => (kv.Key, kv.Value.List!))
            .ToList();

    /// <summary>A copy with some keys replaced by scalars (one grid point).</summary>
    public ResolvedConfig With(IReadOnlyDictionary<string, string> scalars, string source = "grid")
    {
        var copy = new Dictionary<string, ConfigValue>(_values, StringComparer.Ordinal);
        foreach (var (k, v) in scalars)
        {
            copy[k] = new ConfigValue(source, null, v, null);
        }

        foreach (var (k, v) in scalars)
        {
            if (!Schema.TryGet(k, out var key))
            {
                throw new ConfigException(source, $"unknown key '{k}'{Schema.Suggest(k)}");
            }

            ConfigSchema.Convert(key, copy[k]);
        }

        return new ResolvedConfig(Schema, copy, [.. Sources, source]);
    }

    /// <summary>True when the key was set by some layer.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>Binds the keys of one options record; unset keys keep the record's defaults.</summary>
    public T Bind<T>()
        where T : new()
    {
        object target = new T();
        foreach (var key in Schema.Keys.Where(k => k.Owner == typeof(T)))
        {
            if (_values.TryGetValue(key.Name, out var raw))
            {
                key.Property.SetValue(target, ConfigSchema.Convert(key, raw));
            }
        }

        return (T)target;
    }

    /// <summary>The resolved configuration as YAML, one key per line with the layer it came from.</summary>
    public string ToYaml(string header)
    {
        var sb = new StringBuilder();
        foreach (var line in header.Split('\n'))
        {
            sb.Append("# ").AppendLine(line);
        }

        foreach (var (name, value) in _values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(name).Append(": ").Append(value.ToYaml()).Append("  # from ").AppendLine(value.Source);
        }

        return sb.ToString();
    }
}
