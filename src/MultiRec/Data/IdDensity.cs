// The dense-id rule: tables indexed by id may only be as large as the input that names the ids, plus a fixed slack.
using System.Globalization;

namespace MultiRec.Data;

/// <summary>Per-id tables (embeddings, Adam moments, feature rows) are sized max(id) + 1. So that memory is bounded
/// by the input's size and not by its largest id, an id may be at most <c>rows + </c><see cref="Slack"/>: a file of
/// dense 0-based ids always passes, while a handful of rows naming id 9,999,999 is refused with a pointer to
/// `multirec data prepare`, which re-indexes ids densely.</summary>
public static class IdDensity
{
    /// <summary>Ids beyond the row count that are always accepted (gaps of a hand-edited file).</summary>
    public const int Slack = 65_536;

    /// <summary>The number of id slots an input of <paramref name="rows"/> rows may ask for.</summary>
    public static long MaxSlots(long rows) => rows + Slack;

    /// <summary>Throws a <see cref="DataFormatException"/> naming the file and the id when
    /// <paramref name="slots"/> (largest id + 1, or a requested count) exceeds <see cref="MaxSlots"/>.</summary>
    public static void Check(string file, string what, long slots, long rows)
    {
        if (slots > MaxSlots(rows) || slots > Array.MaxLength)
        {
            var n = rows.ToString("N0", CultureInfo.InvariantCulture);
            throw new DataFormatException(file, $"{what} is far larger than the {n} rows: ids must be dense 0-based integers (at most rows + {Slack:N0}), so that memory follows the input's size; re-index with `multirec data prepare`");
        }
    }
}
