// Fused LightGCN propagation: H = mean(E⁰, ÂE⁰, …, Â^L E⁰) over E⁰ = [E_u; E_i], returned as (H_u, H_i),
// keeping no layer output (the op is linear, so backward needs none).
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// LightGCN propagation of user and item embeddings through a constant square CSR matrix Â ((U+I) x (U+I)):
    /// <code>
    /// E⁰ = [E_u; E_i]   (U+I) x d,   H = (E⁰ + ÂE⁰ + … + Â^L E⁰) / (L + 1),   H_u = H[:U]  (U x d),  H_i = H[U:]  (I x d)
    /// </code>
    /// Equal, bit for bit, to ConcatRows → L × SparseMultiply → MeanOf → SliceRows (the same sums in the same order),
    /// but it allocates only the two outputs: layers are computed through ping-pong scratch buffers (none for
    /// L = 1, one for L = 2) returned before the op returns, and E⁰ is read in place.
    /// Backward: dE⁰ = Σ_l (Âᵀ)^l dH / (L + 1), evaluated as Z_L = G, Z_(l-1) = G + Âᵀ Z_l, dE⁰ = Z_0 with
    /// G = dH / (L + 1) (the order the unfused graph uses); an output that got no gradient counts as zero.
    /// Âᵀ is Â itself when <paramref name="isSymmetric"/>, otherwise a transpose cached for the matrix's lifetime.
    /// </summary>
    public (Variable Users, Variable Items) LightGcnPropagate(CsrMatrix adjacency, Variable users, Variable items, int layers, bool isSymmetric = false)
    {
        CheckLightGcnArguments(adjacency, users, items, layers);
        var record = ShouldRecord(users, items);
        var hu = NewOutput(users.Rows, users.Cols, "lightgcn_users", record);
        var hi = NewOutput(items.Rows, items.Cols, "lightgcn_items", record);
        var e0 = new RowBlocks(users.Value, items.Value);
        var h = new RowBlocks(hu.Value, hi.Value);
        if (layers == 0)
        {
            Elementwise.Write(hu.Value, users.Value, accumulate: false);
            Elementwise.Write(hi.Value, items.Value, accumulate: false);
        }
        else
        {
            // E^l (0 < l < L) lives in scratch[l % 2]; layer l reads E^(l-1) and adds ÂE^(l-1) to the running sum in H.
            using var scratch = new LayerScratch(this, adjacency.Rows, users.Cols);
            for (var l = 1; l <= layers; l++)
            {
                var previous = l == 1 ? e0 : new RowBlocks(scratch[(l - 1) % 2]);
                var next = l < layers ? scratch[l % 2] : null;
                LightGcnKernels.ForwardLayer(adjacency, previous, next, h, l == 1 ? e0 : h, l == layers ? layers + 1 : 1f);
            }
        }

        if (record)
        {
            Record(new LightGcnNode(hu, hi, adjacency, isSymmetric, users, items, layers));
        }

        return (hu, hi);
    }

    private static void CheckLightGcnArguments(CsrMatrix adjacency, Variable users, Variable items, int layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
        if (adjacency.Rows != adjacency.Cols || adjacency.Rows != users.Rows + items.Rows)
        {
            throw new ArgumentException($"LightGcnPropagate: matrix is {adjacency.Rows}x{adjacency.Cols}, expected square over the {users.Rows} + {items.Rows} rows of {users.Name} and {items.Name}");
        }

        if (users.Cols != items.Cols)
        {
            throw new ArgumentException($"LightGcnPropagate: {users} and {items} differ in columns");
        }

        if (ReferenceEquals(users, items) || ReferenceEquals(users.Value.Data, items.Value.Data))
        {
            throw new ArgumentException("LightGcnPropagate: users and items must be distinct tensors");
        }
    }

    /// <summary>Backward of <see cref="LightGcnPropagate"/>: runs when either output received a gradient.</summary>
    private sealed class LightGcnNode(Variable hu, Variable hi, CsrMatrix adjacency, bool isSymmetric, Variable users, Variable items, int layers)
        : TapeNode([hu, hi])
    {
        public override string OpName => "lightgcn_propagate";

        public override void Backward(Tape tape)
        {
            if (layers == 0)
            {
                WriteIdentityGradients(tape);
                return;
            }

            // G = dH / (L + 1), scaled in place: the outputs' gradients are released after this op anyway.
            // A missing output gradient becomes a zero block (rented and released by the tape like any other).
            var inv = 1f / (layers + 1);
            var gu = tape.GradForAccumulate(hu);
            var gi = tape.GradForAccumulate(hi);
            Elementwise.WriteScaled(gu, gu, inv, accumulate: false);
            Elementwise.WriteScaled(gi, gi, inv, accumulate: false);
            var g = new RowBlocks(gu, gi);

            var transposed = isSymmetric ? adjacency : SparseKernels.TransposeOf(adjacency);
            using var scratch = new LayerScratch(tape, adjacency.Rows, users.Cols);
            var z = g; // Z_L = G
            for (var l = layers; l >= 2; l--)
            {
                var next = scratch[l % 2]; // Z_(l-1)
                LightGcnKernels.BackwardLayer(transposed, z, g, new RowBlocks(next), accumulateTop: false, accumulateBottom: false);
                z = new RowBlocks(next);
            }

            // Z_0 = G + Âᵀ Z_1 goes straight into the inputs' gradients (a throwaway block for an input without one).
            var (du, accumulateUsers) = InputGradient(tape, users, scratch);
            var (di, accumulateItems) = InputGradient(tape, items, scratch);
            LightGcnKernels.BackwardLayer(transposed, z, g, new RowBlocks(du, di), accumulateUsers, accumulateItems);
        }

        private static (Tensor Grad, bool Accumulate) InputGradient(Tape tape, Variable input, LayerScratch scratch)
        {
            if (!input.RequiresGrad)
            {
                return (scratch.Extra(input.Rows, input.Cols), false);
            }

            var grad = tape.GradForWrite(input, out var accumulate);
            return (grad, accumulate);
        }

        private void WriteIdentityGradients(Tape tape)
        {
            // H = E⁰: each input gets its output's gradient, or a zero one (as for L > 0, every input is touched).
            foreach (var (output, input) in new[] { (hu, users), (hi, items) })
            {
                if (!input.RequiresGrad)
                {
                    continue;
                }

                if (output.Grad is null)
                {
                    tape.GradForAccumulate(input);
                }
                else
                {
                    Elementwise.Write(tape.GradForWrite(input, out var accumulate), output.Grad, accumulate);
                }
            }
        }
    }

    /// <summary>The two ping-pong (rows x cols) layer buffers, rented on first use, plus any extra ones; all go back to
    /// the tape's pool on Dispose.</summary>
    private sealed class LayerScratch(Tape tape, int rows, int cols) : IDisposable
    {
        private readonly Tensor?[] _pair = new Tensor?[2];
        private readonly List<Tensor> _extra = [];

        public Tensor this[int k] => _pair[k] ??= tape.RentScratch(rows, cols);

        public Tensor Extra(int extraRows, int extraCols)
        {
            var t = tape.RentScratch(extraRows, extraCols);
            _extra.Add(t);
            return t;
        }

        public void Dispose()
        {
            foreach (var t in _pair)
            {
                if (t is not null)
                {
                    tape.ReturnScratch(t);
                }
            }

            foreach (var t in _extra)
            {
                tape.ReturnScratch(t);
            }
        }
    }
}
