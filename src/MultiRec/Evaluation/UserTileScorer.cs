// Scores a small tile of users against every item into a per-thread, cache-resident buffer (no full score matrix).
using MultiRec.Engine;

namespace MultiRec.Evaluation;

/// <summary>
/// One thread's scoring workspace: <see cref="Score"/> computes the dot products of up to <see cref="MaxUsers"/>
/// users with all items into a buffer of (users rounded up to the kernel's row group) x padded items floats,
/// small enough to stay in L2 while the scores are masked and ranked. The values are bit-identical to
/// <see cref="Gemm.Multiply"/> of the same rows: the same micro-kernel over the same packed panels, each score a
/// fused multiply-add chain from zero per K slab, slabs added in order as the GEMM driver does.
/// </summary>
internal sealed unsafe class UserTileScorer
{
    private readonly ItemPanels _items;
    private readonly int _rowsPadded;
    private readonly float[] _userStorage; // rows of op(A): the tile's user embeddings, zero rows past the last user
    private readonly float* _users;
    private readonly float[] _scoreStorage;
    private readonly float* _scores;
    private readonly float[]? _packedUsersStorage; // only for kernels without a row-major A variant
    private readonly float* _packedUsers;

    public UserTileScorer(ItemPanels items, int maxUsers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUsers, 1);
        _items = items;
        MaxUsers = maxUsers;
        _rowsPadded = (maxUsers + items.Mr - 1) / items.Mr * items.Mr;
        _userStorage = GC.AllocateArray<float>(ItemPanels.AlignedLength((long)_rowsPadded * items.Dims), pinned: true);
        _users = ItemPanels.AlignedStart(_userStorage);
        _scoreStorage = GC.AllocateUninitializedArray<float>(ItemPanels.AlignedLength((long)_rowsPadded * items.PaddedItems), pinned: true);
        _scores = ItemPanels.AlignedStart(_scoreStorage);
        if (!GemmMicroKernels.HasRowMajorVariant(items.Kernel))
        {
            _packedUsersStorage = GC.AllocateUninitializedArray<float>(
                ItemPanels.AlignedLength((long)_rowsPadded * Math.Min(items.Dims, GemmDriver.SlabDepth)), pinned: true);
            _packedUsers = ItemPanels.AlignedStart(_packedUsersStorage);
        }
    }

    /// <summary>Most users scored per call.</summary>
    public int MaxUsers { get; }

    /// <summary>Bytes of the score buffer for a tile of the given size.</summary>
    public static long ScoreBytes(int users, int paddedItems, int mr) => (long)((users + mr - 1) / mr * mr) * paddedItems * sizeof(float);

    /// <summary>Scores users[i] (rows of <paramref name="userEmbeddings"/>) against every item; row i of the
    /// result is <see cref="Row"/>(i) until the next call.</summary>
    public void Score(Tensor userEmbeddings, ReadOnlySpan<int> users)
    {
        if (users.Length > MaxUsers)
        {
            throw new ArgumentException($"at most {MaxUsers} users per tile", nameof(users));
        }

        var dims = _items.Dims;
        var rows = (users.Length + _items.Mr - 1) / _items.Mr * _items.Mr;
        var tile = new Span<float>(_users, rows * dims);
        for (var r = 0; r < users.Length; r++)
        {
            userEmbeddings.Row(users[r]).CopyTo(tile.Slice(r * dims, dims));
        }

        tile[(users.Length * dims)..].Clear();
        for (var p0 = 0; p0 < dims; p0 += GemmDriver.SlabDepth)
        {
            var kc = Math.Min(GemmDriver.SlabDepth, dims - p0);
            var beta = p0 == 0 ? 0f : 1f; // later slabs add onto the earlier ones, as in the driver
            ScoreSlab(rows, p0, kc, beta);
        }

        GC.KeepAlive(this); // the raw pointers point into this object's pinned arrays
    }

    /// <summary>The scores of the i-th user of the last <see cref="Score"/> call, one per item.</summary>
    public Span<float> Row(int i) => new(_scores + ((long)i * _items.PaddedItems), _items.Items);

    private void ScoreSlab(int rows, int p0, int kc, float beta)
    {
        var kernel = _items.Kernel;
        var mr = _items.Mr;
        var nr = _items.Nr;
        var dims = _items.Dims;
        var ldc = _items.PaddedItems;
        var slab = _items.Slab(p0);
        var rowMajor = _packedUsers == null;
        if (!rowMajor)
        {
            GemmPacking.PackA(_users, dims, false, 0, rows, p0, kc, mr, _packedUsers);
        }

        // Item panels outer: one B panel (kc x NR) stays in L1 while the tile's few user rows sweep over it.
        for (var jb = 0; jb < ldc; jb += nr)
        {
            var panel = slab + ((long)jb * kc);
            for (var ib = 0; ib < rows; ib += mr)
            {
                var c = _scores + ((long)ib * ldc) + jb;
                if (rowMajor)
                {
                    GemmMicroKernels.RunRowMajorA(kernel, _users + ((long)ib * dims) + p0, dims, panel, kc, c, ldc, 1f, beta);
                }
                else
                {
                    GemmMicroKernels.Run(kernel, _packedUsers + ((long)ib * kc), panel, kc, c, ldc, 1f, beta);
                }
            }
        }
    }
}
