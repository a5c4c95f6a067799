// Item embeddings re-laid out in panels for scoring one query vector against every item without a GEMM.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using MultiRec.Engine;

namespace MultiRec.Serving;

/// <summary>
/// The item matrix (items × dims, row-major) copied into panels of <see cref="PanelItems"/> items: panel p holds
/// dims rows of PanelItems floats, value [j, lane] = item (p·PanelItems + lane), dimension j. Scoring one query
/// then streams each panel once, contiguously, keeping PanelItems running sums in vector registers: no
/// horizontal reductions, no threads, no allocation. Items past <see cref="Items"/> in the last panel are zero.
/// Read-only after construction, so one instance serves any number of threads.
/// </summary>
internal sealed class ItemPanels
{
    private static readonly bool UseFusedMultiplyAdd = Fma.IsSupported || AdvSimd.IsSupported;
    private readonly float[] _panels;

    private ItemPanels(int items, int dims, float[] panels)
    {
        Items = items;
        Dims = dims;
        _panels = panels;
    }

    /// <summary>Items per panel: eight vectors of floats (64 with 256-bit vectors).</summary>
    public static int PanelItems => 8 * Vector<float>.Count;

    /// <summary>Number of items.</summary>
    public int Items { get; }

    /// <summary>Embedding width.</summary>
    public int Dims { get; }

    /// <summary>Length a score buffer must have: items rounded up to whole panels.</summary>
    public int PaddedItems => _panels.Length / Math.Max(1, Dims);

    /// <summary>Copies the item matrix into panels; with <paramref name="normalise"/> each item row is first
    /// divided by max(‖row‖₂, 1e-12), as torch.nn.functional.normalize does, so that dot products are cosines.</summary>
    public static ItemPanels Build(Tensor itemEmbeddings, bool normalise)
    {
        var items = itemEmbeddings.Rows;
        var dims = itemEmbeddings.Cols;
        var width = PanelItems;
        var panelCount = (items + width - 1) / width;
        var panels = new float[checked((long)panelCount * width * dims)];
        var row = new float[dims];
        for (var item = 0; item < items; item++)
        {
            itemEmbeddings.Row(item).CopyTo(row);
            if (normalise)
            {
                Normalise(row);
            }

            var panelStart = item / width * width * dims;
            var lane = item % width;
            for (var j = 0; j < dims; j++)
            {
                panels[panelStart + (j * width) + lane] = row[j];
            }
        }

        return new ItemPanels(items, dims, panels);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MultiplyAdd(Vector<float> values, Vector<float> weight, Vector<float> sum) =>
        UseFusedMultiplyAdd ? Vector.FusedMultiplyAdd(values, weight, sum) : (values * weight) + sum;

    /// <summary>Divides a vector by max(‖v‖₂, 1e-12) in place.</summary>
    public static void Normalise(Span<float> vector)
    {
        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(vector));
        System.Numerics.Tensors.TensorPrimitives.Divide(vector, MathF.Max(norm, 1e-12f), vector);
    }

    /// <summary>scores[i] = query · item i for every item; <paramref name="scores"/> needs
    /// <see cref="PaddedItems"/> entries (the padding entries receive 0).</summary>
    public void Score(ReadOnlySpan<float> query, Span<float> scores)
    {
        if (query.Length != Dims)
        {
            throw new ArgumentException($"query has {query.Length} dims, the items have {Dims}", nameof(query));
        }

        if (scores.Length < PaddedItems)
        {
            throw new ArgumentException($"scores must hold {PaddedItems} entries (items rounded up to whole panels)", nameof(scores));
        }

        var width = Vector<float>.Count;
        var panelFloats = PanelItems * Dims;
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var panel = ref MemoryMarshal.GetArrayDataReference(_panels);
        ref var output = ref MemoryMarshal.GetReference(scores);
        for (var p = 0; p < PaddedItems; p += PanelItems)
        {
            // Eight independent sums hide the FMA latency (4 cycles at 2 per cycle).
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            ref var values = ref Unsafe.Add(ref panel, (nint)(p / PanelItems) * panelFloats);
            for (var j = 0; j < Dims; j++)
            {
                var weight = new Vector<float>(Unsafe.Add(ref q, j));
                ref var at = ref Unsafe.Add(ref values, j * PanelItems);
                s0 = MultiplyAdd(Vector.LoadUnsafe(ref at), weight, s0);
                s1 = MultiplyAdd(Vector.LoadUnsafe(ref at, (nuint)width), weight, s1);
                s2 = MultiplyAdd(Vector.LoadUnsafe(ref at, (nuint)(2 * width)), weight, s2);
                s3 = MultiplyAdd(Vector.LoadUnsafe(ref at, (nuint)(3 * width)), weight, s3);
                s4 = MultiplyAdd(Vector.LoadUnsafe(ref at, (nuint)(4 * width)), weight, s4);
                s5 = MultiplyAdd(Vector.LoadUnsafe(ref at, (nuint)(5 * width)), weight, s5);
                s6 = MultiplyAdd(Vector.LoadUnsafe(ref at, (nuint)(6 * width)), weight, s6);
                s7 = MultiplyAdd(Vector.LoadUnsafe(ref at, (nuint)(7 * width)), weight, s7);
            }

            ref var target = ref Unsafe.Add(ref output, p);
            s0.StoreUnsafe(ref target);
            s1.StoreUnsafe(ref target, (nuint)width);
            s2.StoreUnsafe(ref target, (nuint)(2 * width));
            s3.StoreUnsafe(ref target, (nuint)(3 * width));
            s4.StoreUnsafe(ref target, (nuint)(4 * width));
            s5.StoreUnsafe(ref target, (nuint)(5 * width));
            s6.StoreUnsafe(ref target, (nuint)(6 * width));
            s7.StoreUnsafe(ref target, (nuint)(7 * width));
        }
    }
}
