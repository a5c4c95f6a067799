// Reuses the float buffers of large temporaries across steps, so steady-state training allocates nothing per op.
namespace MultiRec.Engine;

/// <summary>Options of a <see cref="TensorPool"/>.</summary>
internal sealed record TensorPoolOptions
{
    /// <summary>Most bytes of idle buffers the pool keeps; returns beyond it are left to the GC. Default 2 GiB.</summary>
    public long MaxRetainedBytes { get; init; } = 2L << 30;
}

/// <summary>A thread-safe pool of tensor buffers grouped into size classes (eight per power of two, so a buffer
/// serves requests up to 12.5 % smaller: batch-dependent shapes that vary a little still reuse buffers).
/// Ownership rules: a rented tensor's buffer belongs to the renter until it is returned with <see cref="Return"/>;
/// after that neither the tensor nor any span over its Data may be used, because the buffer is handed out again.
/// Return each rented tensor once, to the pool it came from (violations throw). A tensor never returned is
/// simply collected by the GC. Rented contents are arbitrary unless <c>clear: true</c> is passed.</summary>
internal sealed class TensorPool
{
    private readonly Dictionary<int, Stack<float[]>> _idle = [];
    private readonly HashSet<float[]> _rented = new(ReferenceEqualityComparer.Instance);
    private readonly long _maxRetainedFloats;
    private readonly object _gate = new();
    private long _retainedFloats;

    public TensorPool(TensorPoolOptions? options = null)
    {
        _maxRetainedFloats = (options ?? new TensorPoolOptions()).MaxRetainedBytes / sizeof(float);
    }

    /// <summary>A process-wide pool for engine temporaries.</summary>
    public static TensorPool Shared { get; } = new();

    /// <summary>Floats held in idle buffers.</summary>
    public long RetainedFloats
    {
        get
        {
            lock (_gate)
            {
                return _retainedFloats;
            }
        }
    }

    /// <summary>Buffers currently rented and not yet returned.</summary>
    public int OutstandingCount
    {
        get
        {
            lock (_gate)
            {
                return _rented.Count;
            }
        }
    }

    /// <summary>A (rows, cols) tensor over a pooled buffer (possibly longer than rows * cols).</summary>
    public Tensor Rent(int rows, int cols, bool clear = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        var capacity = SizeClass(checked(rows * cols));
        float[]? buffer = null;
        lock (_gate)
        {
            if (_idle.TryGetValue(capacity, out var stack) && stack.Count > 0)
            {
                buffer = stack.Pop();
                _retainedFloats -= buffer.Length;
            }
        }

        buffer ??= GC.AllocateUninitializedArray<float>(capacity);
        lock (_gate)
        {
            _rented.Add(buffer);
        }

        var tensor = new Tensor(rows, cols, buffer);
        if (clear)
        {
            ElementwiseKernels.Fill(tensor, 0f);
        }

        return tensor;
    }

    /// <summary>Rents a tensor that goes back to the pool when the lease is disposed (<c>using var t = ...</c>).</summary>
    public Lease RentScoped(int rows, int cols, bool clear = false) => new(this, Rent(rows, cols, clear));

    /// <summary>Gives a rented tensor's buffer back; the tensor must not be used afterwards.</summary>
    public void Return(Tensor tensor)
    {
        var buffer = tensor.Data;
        lock (_gate)
        {
            if (!_rented.Remove(buffer))
            {
                throw new InvalidOperationException($"{tensor} was not rented from this pool, or was already returned");
            }

            if (_retainedFloats + buffer.Length > _maxRetainedFloats)
            {
                return;
            }

            if (!_idle.TryGetValue(buffer.Length, out var stack))
            {
                stack = new Stack<float[]>();
                _idle[buffer.Length] = stack;
            }

            stack.Push(buffer);
            _retainedFloats += buffer.Length;
        }
    }

    /// <summary>Drops every idle buffer (rented ones stay valid).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _idle.Clear();
            _retainedFloats = 0;
        }
    }

    /// <summary>The buffer length serving a request: at least 16, then eight classes per power of two.</summary>
    internal static int SizeClass(int length)
    {
        if (length <= 16)
        {
            return 16;
        }

        var step = Math.Max(2, (1 << System.Numerics.BitOperations.Log2((uint)length)) / 8);
        var rounded = ((long)length + step - 1) / step * step;
        return rounded > Array.MaxLength ? length : (int)rounded;
    }

    /// <summary>A rented tensor returned on Dispose.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly TensorPool _pool;

        internal Lease(TensorPool pool, Tensor tensor)
        {
            _pool = pool;
            Tensor = tensor;
        }

        /// <summary>The rented tensor; valid until Dispose.</summary>
        public Tensor Tensor { get; }

        public void Dispose() => _pool?.Return(Tensor);
    }
}
