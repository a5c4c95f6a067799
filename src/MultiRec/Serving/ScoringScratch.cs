// Per-thread buffers of the single-query ranking path, so that a request allocates nothing but its response.
using MultiRec.Evaluation;

namespace MultiRec.Serving;

/// <summary>One thread's score buffer, query buffer and top-K selectors (one per K used on this thread). Buffers
/// grow to the largest model seen and are then reused; a selector is drained after every use, so it is empty
/// whenever a new query starts. Ranking runs synchronously on the calling thread, so no other query can
/// interleave on the same scratch.</summary>
internal sealed class ScoringScratch
{
    [ThreadStatic]
    private static ScoringScratch? t_current;

    private TopKSelector?[] _selectors = new TopKSelector?[64];
    private int[] _resultItems = [];
    private float[] _resultScores = [];

    private ScoringScratch()
    {
    }

    /// <summary>Scores of every item (length ≥ the padded item count requested).</summary>
    public float[] Scores { get; private set; } = [];

    /// <summary>A query vector (length ≥ the dims requested).</summary>
    public float[] Query { get; private set; } = [];

    /// <summary>Room for k ranked item ids.</summary>
    public Span<int> ResultItems(int k)
    {
        if (_resultItems.Length < k)
        {
            _resultItems = new int[k];
        }

        return _resultItems.AsSpan(0, k);
    }

    /// <summary>Room for k ranked scores.</summary>
    public Span<float> ResultScores(int k)
    {
        if (_resultScores.Length < k)
        {
            _resultScores = new float[k];
        }

        return _resultScores.AsSpan(0, k);
    }

    /// <summary>The calling thread's scratch, with buffers of at least the given sizes.</summary>
    public static ScoringScratch ForCurrentThread(int paddedItems, int dims)
    {
        var scratch = t_current ??= new ScoringScratch();
        if (scratch.Scores.Length < paddedItems)
        {
            scratch.Scores = new float[paddedItems];
        }

        if (scratch.Query.Length < dims)
        {
            scratch.Query = new float[dims];
        }

        return scratch;
    }

    /// <summary>An empty selector keeping the k best.</summary>
    public TopKSelector Selector(int k)
    {
        if (k >= _selectors.Length)
        {
            Array.Resize(ref _selectors, Math.Max(k + 1, _selectors.Length * 2));
        }

        return _selectors[k] ??= new TopKSelector(k);
    }
}
