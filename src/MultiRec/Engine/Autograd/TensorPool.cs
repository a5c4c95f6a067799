// Recycles float buffers of a tape's temporaries across training steps (same shapes recur every step).
namespace MultiRec.Engine.Autograd;

/// <summary>
/// A free list of float arrays grouped by size class. Sizes are rounded up to one of four classes per
/// power of two (at most 25% slack), so batch-dependent shapes that vary a little still reuse buffers.
/// Not thread-safe: one pool belongs to one <see cref="Tape"/>.
/// </summary>
internal sealed class TensorPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = [];

    /// <summary>Test hook: fill every returned (and newly allocated) buffer with NaN so a kernel that reads a recycled buffer before writing it shows up.</summary>
    public bool PoisonReturnedBuffers { get; set; }

    /// <summary>Floats currently held in the free lists.</summary>
    public long FreeFloats { get; private set; }

    /// <summary>A tensor of the given shape whose contents are arbitrary (callers overwrite them).</summary>
    public Tensor Rent(int rows, int cols)
    {
        var length = checked(rows * cols);
        var capacity = SizeClass(length);
        if (_free.TryGetValue(capacity, out var stack) && stack.Count > 0)
        {
            FreeFloats -= capacity;
            return new Tensor(rows, cols, stack.Pop());
        }

        var data = GC.AllocateUninitializedArray<float>(capacity);
        if (PoisonReturnedBuffers)
        {
            data.AsSpan().Fill(float.NaN);
        }

        return new Tensor(rows, cols, data);
    }

    /// <summary>Gives a rented tensor's buffer back; the tensor must not be used afterwards.</summary>
    public void Return(Tensor tensor)
    {
        var capacity = tensor.Data.Length;
        if (capacity != SizeClass(capacity))
        {
            return; // not one of ours (a size class is a fixed point of SizeClass)
        }

        if (!_free.TryGetValue(capacity, out var stack))
        {
            stack = new Stack<float[]>();
            _free[capacity] = stack;
        }

        if (PoisonReturnedBuffers)
        {
            tensor.Data.AsSpan().Fill(float.NaN);
        }

        stack.Push(tensor.Data);
        FreeFloats += capacity;
    }

    /// <summary>Drops every free buffer (lets the GC reclaim the memory).</summary>
    public void Clear()
    {
        _free.Clear();
        FreeFloats = 0;
    }

    /// <summary>The smallest size class >= length: lengths up to 64 exactly, then m * 2^k with m in {4, 5, 6, 7}.</summary>
    internal static int SizeClass(int length)
    {
        if (length <= 64)
        {
            return Math.Max(length, 1);
        }

        var shift = 31 - int.LeadingZeroCount(length) - 2; // length = m * 2^shift + rest, m in [4, 8)
        var mantissa = length >> shift;
        if ((mantissa << shift) != length)
        {
            mantissa++;
        }

        return checked(mantissa << shift);
    }
}
