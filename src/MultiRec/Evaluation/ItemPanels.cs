// Item embeddings packed once per evaluation into the GEMM micro-kernel's B-panel layout, shared by all threads.
using System.Runtime.CompilerServices;
using MultiRec.Engine;

namespace MultiRec.Evaluation;

/// <summary>
/// The transposed item embeddings (dims x items) packed exactly as <see cref="GemmDriver"/> packs a shared op(B):
/// K slabs of <see cref="GemmDriver.SlabDepth"/> one after the other, each slab holding NR-wide column panels
/// (for each k, NR consecutive items), zero-padded to <see cref="PaddedItems"/>. Read-only after construction, so
/// every scoring thread reads the same copy (dims x padded items x 4 bytes, 1.8 MB for Baby at d = 64).
/// </summary>
internal sealed unsafe class ItemPanels
{
    private const int AlignFloats = 16; // 64 bytes
    private readonly float[] _storage; // pinned: _base points into it for the object's lifetime
    private readonly float* _base;

    public ItemPanels(Tensor itemEmbeddings, GemmKernelKind kernel)
    {
        Kernel = kernel;
        Mr = GemmMicroKernels.TileRows(kernel);
        Nr = GemmMicroKernels.TileCols(kernel);
        Items = itemEmbeddings.Rows;
        Dims = itemEmbeddings.Cols;
        PaddedItems = (Items + Nr - 1) / Nr * Nr;
        _storage = GC.AllocateUninitializedArray<float>(checked((Dims * PaddedItems) + AlignFloats), pinned: true);
        _base = AlignedStart(_storage);
        fixed (float* b = itemEmbeddings.Data)
        {
            for (var p0 = 0; p0 < Dims; p0 += GemmDriver.SlabDepth)
            {
                var kc = Math.Min(GemmDriver.SlabDepth, Dims - p0);
                GemmPacking.PackB(b, Dims, true, p0, kc, 0, Items, Nr, Slab(p0));
            }
        }
    }

    /// <summary>The micro-kernel the panels are laid out for.</summary>
    public GemmKernelKind Kernel { get; }

    /// <summary>Rows of C per kernel call (users per row group).</summary>
    public int Mr { get; }

    /// <summary>Columns of C per kernel call (items per panel).</summary>
    public int Nr { get; }

    /// <summary>Number of real items.</summary>
    public int Items { get; }

    /// <summary>Items rounded up to whole panels; the padding columns score 0 and are never read.</summary>
    public int PaddedItems { get; }

    /// <summary>Embedding width (the GEMM's K).</summary>
    public int Dims { get; }

    /// <summary>Start of the K slab beginning at depth p0; panel j of it starts at + j * NR * kc.</summary>
    public float* Slab(int p0) => _base + ((long)p0 * PaddedItems);

    /// <summary>A 64-byte aligned pointer into a pinned array allocated with <see cref="AlignFloats"/> spare floats.</summary>
    public static float* AlignedStart(float[] pinned)
    {
        var p = (float*)Unsafe.AsPointer(ref pinned[0]);
        var misalign = (int)((nint)p & 63) / sizeof(float);
        return misalign == 0 ? p : p + (AlignFloats - misalign);
    }

    /// <summary>Floats to allocate for an aligned buffer of the given length.</summary>
    public static int AlignedLength(long floats) => checked((int)floats + AlignFloats);
}
