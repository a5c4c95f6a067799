// The distinct rows a batch reads from a table, and where each batch entry finds its row among them: lets a model
// project only the rows a step touches (BM3's and FREEDOM's raw feature tables) instead of the whole table.
namespace MultiRec.Models.Common;

/// <summary>Deduplicates row ids with a reusable scratch map (one int per table row).</summary>
internal sealed class UniqueRows
{
    private readonly int[] _slot;   // row id → position among the unique rows (-1 = absent); reset after each call

    public UniqueRows(int rows)
    {
        _slot = new int[rows];
        Array.Fill(_slot, -1);
    }

    /// <summary>The distinct ids of <paramref name="lists"/> in order of first appearance, and per list the
    /// position of each entry's row among them.</summary>
    public (int[] Unique, int[][] Slots) Of(params int[][] lists)
    {
        var unique = new List<int>();
        var slots = new int[lists.Length][];
        for (var l = 0; l < lists.Length; l++)
        {
            var ids = lists[l];
            var s = slots[l] = new int[ids.Length];
            for (var k = 0; k < ids.Length; k++)
            {
                var id = ids[k];
                if (_slot[id] < 0)
                {
                    _slot[id] = unique.Count;
                    unique.Add(id);
                }

                s[k] = _slot[id];
            }
        }

        foreach (var id in unique)
        {
            _slot[id] = -1;
        }

        return (unique.ToArray(), slots);
    }
}
