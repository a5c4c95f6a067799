// Dense 0-based ids for raw string ids, numbered in order of first appearance (pandas' unique order).
namespace MultiRec.Data.Preparation;

/// <summary>Maps raw ids to 0..n-1 in the order they are first seen.</summary>
public sealed class FirstAppearanceIndex
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _raw = [];

    /// <summary>The id of <paramref name="raw"/>, assigning the next one on first sight.</summary>
    public int GetOrAdd(string raw)
    {
        if (!_ids.TryGetValue(raw, out var id))
        {
            id = _raw.Count;
            _ids.Add(raw, id);
            _raw.Add(raw);
        }

        return id;
    }

    /// <summary>Number of distinct raw ids seen.</summary>
    public int Count => _raw.Count;

    /// <summary>Raw id of each dense id, in id order.</summary>
    public IReadOnlyList<string> RawIds => _raw;
}
