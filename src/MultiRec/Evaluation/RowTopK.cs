// Exact top-K of one full row of scores: a lower bound from group maxima, one vectorised pass, a small sort.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MultiRec.Evaluation;

/// <summary>
/// Selects the K best items of a whole score row (items 0..n−1), ordered like <see cref="TopKSelector"/>: higher
/// score first, equal scores by lower item id, NaN as negative infinity. The row is cut into groups (lane j of
/// <see cref="GroupDepth"/> consecutive vectors, so group maxima come out of plain vector max operations). A floor
/// at most the K-th largest group maximum is at most the K-th best score, since K groups each hold an item at least
/// that high; one vectorised pass collects the few items at or above the floor (never a NaN), and only those are
/// sorted. When no finite floor can be placed (fewer than K groups, a NaN group maximum, a floor of −∞) the row
/// goes through <see cref="TopKSelector"/>. One instance per thread; reusable.
/// </summary>
internal sealed class RowTopK
{
    /// <summary>Vectors per chunk: each lane of a chunk is one group of this many items.</summary>
    public const int GroupDepth = 32;

    /// <summary>Bisection steps when placing the floor; each halves the gap to the exact K-th group maximum.</summary>
    private const int FloorBisections = 8;

    private readonly int _k;
    private readonly float[] _maxima;
    private readonly ulong[] _candidates;
    private readonly TopKSelector _fallback;

    /// <summary>A selector of the best <paramref name="k"/> items of rows of up to <paramref name="maxItems"/> scores.</summary>
    public RowTopK(int k, int maxItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _k = k;
        _maxima = new float[(maxItems / GroupDepth) + 1];
        _candidates = new ulong[maxItems];
        _fallback = new TopKSelector(k);
    }

    /// <summary>Whether the candidate pass uses 512-bit vectors where the machine has them (tests turn it off to
    /// exercise the 256-bit path).</summary>
    internal static bool Use512BitCollect { get; set; } = true;

    /// <summary>K, the number of items kept.</summary>
    public int Capacity => _k;

    /// <summary>Rows that went through the general path so far (tests check that ordinary rows do not).</summary>
    internal int FallbackRows { get; private set; }

    /// <summary>Writes the min(K, row length) best items and their scores, best first; returns how many.</summary>
    public int Select(ReadOnlySpan<float> row, Span<int> itemsOut, Span<float> scoresOut)
    {
        if (row.Length > _candidates.Length)
        {
            throw new ArgumentException($"rows of at most {_candidates.Length} scores", nameof(row));
        }

        var groups = GroupMaxima(row, _maxima);
        var floor = groups >= _k ? FloorOfKthLargest(_maxima.AsSpan(0, groups), _k) : float.NaN;
        if (!(floor > float.NegativeInfinity))
        {
            // Too few groups, a NaN maximum, or a floor of −∞ (which would not exclude NaNs): the general path.
            FallbackRows++;
            _fallback.OfferRange(row, 0);
            return _fallback.DrainSorted(itemsOut, scoresOut);
        }

        var candidates = _candidates.AsSpan(0, CollectAtLeast(row, floor, _candidates));
        SortSmall(candidates);
        for (var i = 0; i < _k; i++)
        {
            var item = (int)(uint)candidates[i];
            itemsOut[i] = item;
            scoresOut[i] = row[item];
        }

        return _k;
    }

    /// <summary>
    /// One representative score per group into <paramref name="maxima"/>; returns the group count. A chunk of
    /// <see cref="GroupDepth"/> vectors gives one group per lane, the items after the last whole chunk one more group.
    /// A representative is the group's maximum, except that NaNs may be skipped or kept depending on the platform's
    /// native max: it is always the score of one of the group's items (or −∞ for an empty group), which is all the
    /// floor needs, and a NaN representative sends the row to the general path.
    /// </summary>
    private static int GroupMaxima(ReadOnlySpan<float> row, Span<float> maxima)
    {
        var width = Vector256<float>.Count;
        var chunk = GroupDepth * width;
        var chunks = Vector256.IsHardwareAccelerated ? row.Length / chunk : 0;
        ref var start = ref MemoryMarshal.GetReference(row);
        for (var c = 0; c < chunks; c++)
        {
            ref var first = ref Unsafe.Add(ref start, c * chunk);
            var m0 = Vector256.Create(float.NegativeInfinity);
            var (m1, m2, m3) = (m0, m0, m0); // four independent chains hide the max latency
            for (var v = 0; v < GroupDepth; v += 4)
            {
                m0 = MaxNative(Vector256.LoadUnsafe(ref first, (nuint)(v * width)), m0);
                m1 = MaxNative(Vector256.LoadUnsafe(ref first, (nuint)((v + 1) * width)), m1);
                m2 = MaxNative(Vector256.LoadUnsafe(ref first, (nuint)((v + 2) * width)), m2);
                m3 = MaxNative(Vector256.LoadUnsafe(ref first, (nuint)((v + 3) * width)), m3);
            }

            MaxNative(MaxNative(m0, m1), MaxNative(m2, m3)).CopyTo(maxima.Slice(c * width, width));
        }

        var groups = chunks * width;
        var tail = row[(chunks * chunk)..];
        if (tail.Length > 0)
        {
            var tailMax = float.NegativeInfinity;
            foreach (var x in tail)
            {
                tailMax = x > tailMax || float.IsNaN(x) ? x : tailMax;
            }

            maxima[groups++] = tailMax;
        }

        return groups;
    }

    /// <summary>The plain hardware max (one instruction on x86; NaN handling left to the hardware).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MaxNative(Vector256<float> x, Vector256<float> y) =>
        Avx.IsSupported ? Avx.Max(x, y) : Vector256.Max(x, y);

    /// <summary>
    /// A value at most the k-th largest of <paramref name="values"/> and close to it: bisection on the value range,
    /// keeping a bound that at least k values reach (vectorised counts, no data-dependent branches per value).
    /// NaN when a value is NaN.
    /// </summary>
    private static float FloorOfKthLargest(ReadOnlySpan<float> values, int k)
    {
        if (!TryRange(values, out var low, out var high))
        {
            return float.NaN;
        }

        // Invariant: at least k values are >= low. Stop early once exactly k values are (the tightest useful floor).
        for (var step = 0; step < FloorBisections; step++)
        {
            var mid = low + ((high - low) * 0.5f);
            if (!(mid > low) || !(mid < high))
            {
                break;
            }

            var reached = CountAtLeast(values, mid);
            if (reached >= k)
            {
                low = mid;
                if (reached == k)
                {
                    break;
                }
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>The smallest and largest of the values; false when one is NaN.</summary>
    private static bool TryRange(ReadOnlySpan<float> values, out float low, out float high)
    {
        var i = 0;
        var lows = Vector256.Create(float.PositiveInfinity);
        var highs = Vector256.Create(float.NegativeInfinity);
        var ordered = Vector256<float>.AllBitsSet; // stays all ones while no lane has seen a NaN
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                ordered &= Vector256.Equals(v, v);
                lows = Vector256.Min(lows, v);
                highs = Vector256.Max(highs, v);
            }
        }

        low = float.PositiveInfinity;
        high = float.NegativeInfinity;
        var hasNaN = ordered.AsInt32() != Vector256<int>.AllBitsSet; // (float lanes of all ones are NaNs: compare bits)
        for (var lane = 0; lane < Vector256<float>.Count; lane++)
        {
            low = lows[lane] < low ? lows[lane] : low;
            high = highs[lane] > high ? highs[lane] : high;
        }

        for (; i < values.Length; i++)
        {
            hasNaN |= float.IsNaN(values[i]);
            low = values[i] < low ? values[i] : low;
            high = values[i] > high ? values[i] : high;
        }

        return !hasNaN;
    }

    private static int CountAtLeast(ReadOnlySpan<float> values, float bound)
    {
        var count = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var limit = new Vector<float>(bound);
            var counts = Vector<int>.Zero;
            ref var start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - width; i += width)
            {
                counts -= Vector.GreaterThanOrEqual(Vector.LoadUnsafe(ref start, (nuint)i), limit); // true lanes are −1
            }

            count = Vector.Sum(counts);
        }

        for (; i < values.Length; i++)
        {
            count += values[i] >= bound ? 1 : 0;
        }

        return count;
    }

    /// <summary>Sort keys of every item scoring at least <paramref name="floor"/>, in item order; returns the count.
    /// Runs of 32 scores are tested at once with a few vector compares (few hold a candidate); in a run that does,
    /// each 8-wide piece's candidate lanes are visited and read back from the row.</summary>
    private static int CollectAtLeast(ReadOnlySpan<float> row, float floor, ulong[] keys)
    {
        var count = 0;
        var i = 0;
        ref var start = ref MemoryMarshal.GetReference(row);
        if (Vector512.IsHardwareAccelerated && Use512BitCollect)
        {
            var limit = Vector512.Create(floor);
            for (; i <= row.Length - 32; i += 32)
            {
                var v0 = Vector512.LoadUnsafe(ref start, (nuint)i);
                var v1 = Vector512.LoadUnsafe(ref start, (nuint)(i + 16));
                var hits = (uint)Vector512.GreaterThanOrEqual(v0, limit).ExtractMostSignificantBits()
                    | ((uint)Vector512.GreaterThanOrEqual(v1, limit).ExtractMostSignificantBits() << 16);
                count = AppendLanes(row, hits, i, keys, count);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var limit = Vector256.Create(floor);
            for (; i <= row.Length - 32; i += 32)
            {
                var v0 = Vector256.LoadUnsafe(ref start, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
                var v2 = Vector256.LoadUnsafe(ref start, (nuint)(i + 16));
                var v3 = Vector256.LoadUnsafe(ref start, (nuint)(i + 24));
                if (Vector256.GreaterThanOrEqualAny(MaxNative(MaxNative(v0, v1), MaxNative(v2, v3)), limit))
                {
                    var hits = Vector256.GreaterThanOrEqual(v0, limit).ExtractMostSignificantBits()
                        | (Vector256.GreaterThanOrEqual(v1, limit).ExtractMostSignificantBits() << 8)
                        | (Vector256.GreaterThanOrEqual(v2, limit).ExtractMostSignificantBits() << 16)
                        | (Vector256.GreaterThanOrEqual(v3, limit).ExtractMostSignificantBits() << 24);
                    count = AppendLanes(row, hits, i, keys, count);
                }
            }
        }

        for (; i < row.Length; i++)
        {
            if (row[i] >= floor)
            {
                keys[count++] = SortKey(row[i], i);
            }
        }

        return count;
    }

    /// <summary>Appends the keys of items first + b for every set bit b of <paramref name="hits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AppendLanes(ReadOnlySpan<float> row, uint hits, int first, ulong[] keys, int count)
    {
        while (hits != 0)
        {
            var item = first + BitOperations.TrailingZeroCount(hits);
            keys[count++] = SortKey(row[item], item);
            hits &= hits - 1;
        }

        return count;
    }

    /// <summary>Ascending sort of a few dozen keys: insertion sort (fewer branches mispredicted and no recursion at
    /// this size); larger spans use the library sort.</summary>
    private static void SortSmall(Span<ulong> keys)
    {
        if (keys.Length > 128)
        {
            keys.Sort();
            return;
        }

        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                j--;
            }

            keys[j + 1] = key;
        }
    }

    /// <summary>A key whose ascending order is the ranking order: the score's bits mapped to an unsigned order
    /// and inverted (higher score = smaller key) above the item id (lower id = smaller key on a tie). −0 and +0
    /// are one score, as in float comparison. The score is not NaN.</summary>
    internal static ulong SortKey(float score, int item)
    {
        var bits = BitConverter.SingleToUInt32Bits(score + 0f); // −0 + 0 = +0
        var ordered = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)~ordered << 32) | (uint)item;
    }
}
