// Streaming top-K selection over one row of scores: a size-K min-heap with a vectorised threshold skip.
using System.Numerics;
using System.Runtime.InteropServices;

namespace MultiRec.Evaluation;

/// <summary>
/// Keeps the K best (score, item) pairs of a stream offered in ascending item order. Order: higher score first;
/// among equal scores the lower item id first (a deterministic stand-in for torch.topk, whose order among ties
/// is unspecified). NaN scores rank as negative infinity. Reusable: <see cref="DrainSorted"/> empties it.
/// </summary>
internal sealed class TopKSelector
{
    private readonly float[] _scores;
    private readonly int[] _items;
    private int _count;

    public TopKSelector(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _scores = new float[capacity];
        _items = new int[capacity];
    }

    /// <summary>K, the number of pairs kept.</summary>
    public int Capacity => _scores.Length;

    /// <summary>Offers every item of a score row except the excluded ones (sorted ascending, unique).</summary>
    public void OfferRow(ReadOnlySpan<float> row, ReadOnlySpan<int> excludedSorted)
    {
        var start = 0;
        foreach (var excluded in excludedSorted)
        {
            if (excluded >= row.Length)
            {
                break;
            }

            if (excluded >= start)
            {
                OfferRange(row[start..excluded], start);
                start = excluded + 1;
            }
        }

        OfferRange(row[start..], start);
    }

    /// <summary>Offers items firstItem, firstItem+1, … with the given scores. Calls must come in ascending item order.</summary>
    public void OfferRange(ReadOnlySpan<float> scores, int firstItem)
    {
        var i = 0;
        while (_count < _scores.Length && i < scores.Length)
        {
            var score = scores[i];
            Push(float.IsNaN(score) ? float.NegativeInfinity : score, firstItem + i);
            i++;
        }

        if (i == scores.Length)
        {
            return;
        }

        // Full heap: a later item enters only with a strictly higher score than the worst kept one, because on a
        // tie its higher id ranks it below every kept item. Runs of vectors at or below the threshold are skipped.
        var threshold = _scores[0];
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            ref var start = ref MemoryMarshal.GetReference(scores);
            for (; i <= scores.Length - (4 * width); i += 4 * width)
            {
                var limit = new Vector<float>(threshold);
                var above = Vector.GreaterThan(Vector.LoadUnsafe(ref start, (nuint)i), limit)
                    | Vector.GreaterThan(Vector.LoadUnsafe(ref start, (nuint)(i + width)), limit)
                    | Vector.GreaterThan(Vector.LoadUnsafe(ref start, (nuint)(i + (2 * width))), limit)
                    | Vector.GreaterThan(Vector.LoadUnsafe(ref start, (nuint)(i + (3 * width))), limit);
                if (above != Vector<int>.Zero)
                {
                    threshold = OfferAboveThreshold(scores.Slice(i, 4 * width), firstItem + i, threshold);
                }
            }
        }

        OfferAboveThreshold(scores[i..], firstItem + i, threshold);
    }

    /// <summary>
    /// Offers a whole row (items 0..n−1) to an empty selector, faster than <see cref="OfferRange"/> on long rows:
    /// the K-th largest of the maxima of 64-item blocks is a lower bound of the K-th best score (K blocks each
    /// hold an item at least that high), so every item below it is skipped by a vectorised scan and only the
    /// few items at or above it reach the heap. Same result as <see cref="OfferRange"/>(row, 0).
    /// </summary>
    public void OfferAll(ReadOnlySpan<float> row)
    {
        const int block = 64;
        var k = _scores.Length;
        var blocks = row.Length / block;
        if (_count != 0 || blocks < 2 * k || blocks > 4096)
        {
            OfferRange(row, 0);
            return;
        }

        Span<float> maxima = stackalloc float[blocks];
        for (var b = 0; b < blocks; b++)
        {
            maxima[b] = System.Numerics.Tensors.TensorPrimitives.Max(row.Slice(b * block, block));
        }

        var tail = row.Length - (blocks * block);
        var tailMax = tail > 0 ? System.Numerics.Tensors.TensorPrimitives.Max(row[(blocks * block)..]) : float.NegativeInfinity;
        // A block maximum is NaN when the block holds a NaN (which ranks as −∞): keep the general path then.
        var hasNaN = float.IsNaN(tailMax);
        foreach (var m in maxima)
        {
            hasNaN |= float.IsNaN(m);
        }

        if (hasNaN)
        {
            OfferRange(row, 0);
            return;
        }

        maxima.Sort();
        var floor = maxima[blocks - k];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var limit = new Vector<float>(floor);
            ref var start = ref MemoryMarshal.GetReference(row);
            for (; i <= row.Length - width; i += width)
            {
                if (Vector.GreaterThanOrEqualAny(Vector.LoadUnsafe(ref start, (nuint)i), limit))
                {
                    for (var j = i; j < i + width; j++)
                    {
                        OfferOne(row[j], j, floor);
                    }
                }
            }
        }

        for (; i < row.Length; i++)
        {
            OfferOne(row[i], i, floor);
        }
    }

    /// <summary>Writes the kept pairs best first and empties the selector; returns how many were written.</summary>
    public int DrainSorted(Span<int> itemsOut, Span<float> scoresOut)
    {
        var n = _count;
        for (var position = n - 1; position >= 0; position--)
        {
            itemsOut[position] = _items[0];
            scoresOut[position] = _scores[0];
            _count--;
            if (_count > 0)
            {
                _scores[0] = _scores[_count];
                _items[0] = _items[_count];
                SiftDown(0);
            }
        }

        return n;
    }

    /// <summary>Offers a run of items to the full heap, one by one; returns the new threshold.</summary>
    private float OfferAboveThreshold(ReadOnlySpan<float> scores, int firstItem, float threshold)
    {
        for (var j = 0; j < scores.Length; j++)
        {
            if (scores[j] > threshold)
            {
                ReplaceWorst(scores[j], firstItem + j);
                threshold = _scores[0];
            }
        }

        return threshold;
    }

    /// <summary>One item in ascending item order, skipped below the floor: fills the heap, then replaces the worst
    /// kept pair only on a strictly higher score (an equal score with a higher id ranks lower).</summary>
    private void OfferOne(float score, int item, float floor)
    {
        if (score < floor)
        {
            return;
        }

        if (_count < _scores.Length)
        {
            Push(score, item);
        }
        else if (score > _scores[0])
        {
            ReplaceWorst(score, item);
        }
    }

    private void Push(float score, int item)
    {
        var node = _count++;
        _scores[node] = score;
        _items[node] = item;
        while (node > 0)
        {
            var parent = (node - 1) >> 1;
            if (!Worse(node, parent))
            {
                break;
            }

            Swap(node, parent);
            node = parent;
        }
    }

    private void ReplaceWorst(float score, int item)
    {
        _scores[0] = score;
        _items[0] = item;
        SiftDown(0);
    }

    private void SiftDown(int node)
    {
        while (true)
        {
            var child = (2 * node) + 1;
            if (child >= _count)
            {
                return;
            }

            if (child + 1 < _count && Worse(child + 1, child))
            {
                child++;
            }

            if (!Worse(child, node))
            {
                return;
            }

            Swap(child, node);
            node = child;
        }
    }

    /// <summary>True when entry a ranks below entry b: lower score, or equal score and higher item id.</summary>
    private bool Worse(int a, int b) =>
        _scores[a] < _scores[b] || (_scores[a] == _scores[b] && _items[a] > _items[b]);

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_items[a], _items[b]) = (_items[b], _items[a]);
    }
}
