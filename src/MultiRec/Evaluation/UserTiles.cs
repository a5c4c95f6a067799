// How users are cut into scoring tiles, and the parallel loop over those tiles shared by evaluation and ranking.
using System.Collections.Concurrent;
using MultiRec.Engine;

namespace MultiRec.Evaluation;

/// <summary>
/// Users are scored a tile at a time by one thread (<see cref="UserTileScorer"/>): a tile's scores (users × items
/// floats) stay in cache while they are masked and ranked, and the tile's user rows amortise reading the item panels.
/// </summary>
internal static class UserTiles
{
    /// <summary>Most users in one tile.</summary>
    public const int MaxUsers = 32;

    /// <summary>The body run for one tile: the thread's workspace, the tile's first index in the user list, its users.</summary>
    public delegate void TileAction<in TWorkspace>(TWorkspace workspace, int first, ReadOnlySpan<int> users);

    /// <summary>Users per tile: as many as the per-thread score budget allows, at most <see cref="MaxUsers"/>, at least one.</summary>
    public static int UsersPerTile(ItemPanels items, long maxTileBytes)
    {
        var rowBytes = (long)items.PaddedItems * sizeof(float);
        return (int)Math.Clamp(maxTileBytes / rowBytes, 1, MaxUsers);
    }

    /// <summary>Runs <paramref name="action"/> on every tile of <paramref name="users"/> in parallel. Each worker
    /// task gets a workspace from <paramref name="create"/>; workspaces are handed on to later worker tasks
    /// (Parallel.For may start more tasks than threads over time), so at most about one per thread is made.</summary>
    public static void ForEach<TWorkspace>(int[] users, int usersPerTile, Func<TWorkspace> create, TileAction<TWorkspace> action)
    {
        var tiles = (users.Length + usersPerTile - 1) / usersPerTile;
        var idle = new ConcurrentBag<TWorkspace>();
        Parallel.For(
            0,
            tiles,
            ComputeSettings.ParallelOptions,
            () => idle.TryTake(out var reused) ? reused : create(),
            (tile, _, workspace) =>
            {
                var first = tile * usersPerTile;
                action(workspace, first, users.AsSpan(first, Math.Min(usersPerTile, users.Length - first)));
                return workspace;
            },
            idle.Add);
    }
}
