// A bijection between the original (external) ids of users or items and the dense internal ids 0..Count-1.
using System.Globalization;

namespace MultiRec.Serving;

/// <summary>Maps external id strings to internal ids and back. Built from an MMRec mapping file
/// (<see cref="IdMapFile"/>) or, when the dataset has none, the identity map whose external ids are the internal
/// ids written in decimal ("0", "1", ...). Immutable and safe to share between threads.</summary>
public sealed class IdMap
{
    private readonly string[] _externalIds;
    private readonly Dictionary<string, int> _internalIds;

    private IdMap(string[] externalIds, Dictionary<string, int> internalIds, bool isIdentity, string? source)
    {
        _externalIds = externalIds;
        _internalIds = internalIds;
        IsIdentity = isIdentity;
        Source = source;
    }

    /// <summary>Number of ids (internal ids are 0..Count-1).</summary>
    public int Count => _externalIds.Length;

    /// <summary>True when external ids are the internal ids in decimal (no mapping file).</summary>
    public bool IsIdentity { get; }

    /// <summary>The mapping file this map was read from; null for the identity map.</summary>
    public string? Source { get; }

    /// <summary>The identity map over 0..count-1.</summary>
    public static IdMap Identity(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var external = new string[count];
        var lookup = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var id = 0; id < count; id++)
        {
            external[id] = id.ToString(CultureInfo.InvariantCulture);
            lookup[external[id]] = id;
        }

        return new IdMap(external, lookup, isIdentity: true, source: null);
    }

    /// <summary>A map from external ids listed by internal id: externalIds[i] is the external id of internal id i.
    /// Throws <see cref="ArgumentException"/> on an empty or duplicate external id.</summary>
    public static IdMap FromExternalIds(IReadOnlyList<string> externalIds, string? source = null)
    {
        var external = new string[externalIds.Count];
        var lookup = new Dictionary<string, int>(external.Length, StringComparer.Ordinal);
        for (var id = 0; id < external.Length; id++)
        {
            var value = externalIds[id];
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException($"internal id {id} has an empty external id");
            }

            if (!lookup.TryAdd(value, id))
            {
                throw new ArgumentException($"external id '{value}' is given to both internal ids {lookup[value]} and {id}");
            }

            external[id] = value;
        }

        return new IdMap(external, lookup, isIdentity: false, source);
    }

    /// <summary>The external id of an internal id.</summary>
    public string ExternalId(int internalId) => _externalIds[internalId];

    /// <summary>Looks up the internal id of an external id (exact, case-sensitive match).</summary>
    public bool TryGetInternalId(string externalId, out int internalId) => _internalIds.TryGetValue(externalId, out internalId);
}
