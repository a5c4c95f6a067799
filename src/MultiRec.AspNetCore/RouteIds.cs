// Ids taken from a route segment: the segment as sent, or percent-decoded when that names a known id ("a%2Fb").
using MultiRec.Serving;

namespace MultiRec.AspNetCore;

/// <summary>Kestrel leaves "%2F" encoded in a path segment (a '/' there would split the route), so an id holding
/// '/' arrives as "a%2Fb". It is looked up as sent first, then percent-decoded.</summary>
internal static class RouteIds
{
    public static bool TryFind(IdMap map, string id, out int internalId)
    {
        if (map.TryGetInternalId(id, out internalId))
        {
            return true;
        }

        return id.Contains('%', StringComparison.Ordinal) && map.TryGetInternalId(Uri.UnescapeDataString(id), out internalId);
    }
}
