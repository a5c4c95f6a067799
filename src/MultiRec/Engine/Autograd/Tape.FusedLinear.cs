// Affine layers fused with the leaky ReLU after them and the column concatenation before them (MMGCN's layers): the
// same sums as the unfused ops, bit for bit, holding only the activated output.
namespace MultiRec.Engine.Autograd;

internal sealed partial class Tape
{
    /// <summary>
    /// y (n × out) = leaky_relu(x Wᵀ + b), as LeakyRelu(Linear(x, W, b)) bit for bit, with the activation applied in
    /// place: backward reads the sign from y (positive slope), so the pre-activation is never held.
    /// Backward: g' = g ⊙ lrelu'(y), dx (+)= g' W, dW (+)= g'ᵀ x, db (+)= column sums of g'.
    /// </summary>
    public Variable LinearLeakyRelu(Variable x, Variable w, Variable? b = null, float negativeSlope = 0.01f)
    {
        CheckLinearShapes(x.Cols, w, b, "LinearLeakyRelu");
        CheckFusedLeakyReluSlope(negativeSlope, "LinearLeakyRelu");
        return FusedLinear([x], w, b, negativeSlope, "linear_leaky_relu");
    }

    /// <summary>
    /// y (n × out) = [a ‖ b] Wᵀ + bias with W (out × (a.Cols + b.Cols)), as Linear(ConcatColumns(a, b), W, bias) bit
    /// for bit, and with <paramref name="leakyReluSlope"/> as LeakyRelu of that. The concatenation lives in a scratch
    /// buffer only while the product is formed and is built again in backward for dW = g'ᵀ [a ‖ b], so the op holds
    /// its output alone where the unfused ops hold n × (a.Cols + b.Cols) (and the pre-activation) more.
    /// Backward: [da ‖ db] (+)= g' W, dW (+)= g'ᵀ [a ‖ b], dbias (+)= column sums of g' (g' = g, or g ⊙ lrelu'(y)).
    /// </summary>
    public Variable LinearOfConcat(Variable a, Variable b, Variable w, Variable? bias = null, float? leakyReluSlope = null)
    {
        if (a.Rows != b.Rows)
        {
            throw new ArgumentException($"LinearOfConcat: {a} and {b} differ in rows");
        }

        CheckLinearShapes(a.Cols + b.Cols, w, bias, "LinearOfConcat");
        if (leakyReluSlope is { } slope)
        {
            CheckFusedLeakyReluSlope(slope, "LinearOfConcat");
        }

        return FusedLinear([a, b], w, bias, leakyReluSlope, "linear_of_concat");
    }

    private Variable FusedLinear(Variable[] parts, Variable w, Variable? bias, float? slope, string name)
    {
        var record = ShouldRecord(parts) || (GradEnabled && (w.RequiresGrad || (bias?.RequiresGrad ?? false)));
        var y = NewOutput(parts[0].Rows, w.Rows, name, record);
        var input = JoinColumns(this, parts);
        LinearKernels.Apply(input, w.Value, bias?.Value, y.Value);
        ReleaseJoined(this, parts, input);
        if (slope is { } s)
        {
            LeakyReluInPlace(y.Value, s);
        }

        if (record)
        {
            Record(new FusedLinearNode(y, parts, w, bias, slope));
        }

        return y;
    }

    /// <summary>The parts side by side: the one part's own value, or a scratch buffer with row r = a[r] ‖ b[r].</summary>
    private static Tensor JoinColumns(Tape tape, Variable[] parts)
    {
        if (parts.Length == 1)
        {
            return parts[0].Value;
        }

        var a = parts[0].Value;
        var b = parts[1].Value;
        var joined = tape.RentScratch(a.Rows, a.Cols + b.Cols);
        ParallelRanges.For(a.Rows, joined.Cols, (s, e) =>
        {
            for (var r = s; r < e; r++)
            {
                a.Row(r).CopyTo(joined.Row(r));
                b.Row(r).CopyTo(joined.Row(r)[a.Cols..]);
            }
        });
        return joined;
    }

    private static void ReleaseJoined(Tape tape, Variable[] parts, Tensor joined)
    {
        if (parts.Length > 1)
        {
            tape.ReturnScratch(joined);
        }
    }

    private sealed class FusedLinearNode(Variable output, Variable[] parts, Variable w, Variable? bias, float? slope) : TapeNode(output)
    {
        public override void Backward(Tape tape)
        {
            var g = Output.Grad!;
            Tensor? activated = null;
            if (slope is { } s)
            {
                activated = tape.RentScratch(g.Rows, g.Cols);
                LeakyReluBackwardFromOutput(g, Output.Value, s, activated);
                g = activated;
            }

            if (parts.Length == 1)
            {
                if (parts[0].RequiresGrad)
                {
                    var gx = tape.GradForWrite(parts[0], out var accumulate);
                    Gemm.Multiply(g, false, w.Value, false, gx, 1f, accumulate ? 1f : 0f);
                }
            }
            else if (parts[0].RequiresGrad || parts[1].RequiresGrad)
            {
                var gJoined = tape.RentScratch(g.Rows, w.Cols);            // g' W
                Gemm.Multiply(g, false, w.Value, false, gJoined);
                var offset = 0;
                foreach (var part in parts)
                {
                    if (part.RequiresGrad)
                    {
                        ScatterColumnBlock(gJoined, offset, tape.GradForWrite(part, out var accumulate), accumulate);
                    }

                    offset += part.Cols;
                }

                tape.ReturnScratch(gJoined);
            }

            if (w.RequiresGrad || (bias?.RequiresGrad ?? false))
            {
                var input = JoinColumns(tape, parts);
                LinearParameterBackward(tape, g, input, w, bias);
                ReleaseJoined(tape, parts, input);
            }

            if (activated is not null)
            {
                tape.ReturnScratch(activated);
            }
        }
    }
}
