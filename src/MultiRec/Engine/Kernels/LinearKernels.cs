// The affine map of torch.nn.Linear on plain tensors: y = x Wᵀ + b.
namespace MultiRec.Engine;

/// <summary>y (n × out) = x (n × in) · Wᵀ (W: out × in) + b (1 × out, optional): the forward computation shared by
/// the autograd Linear op and by inference code that writes straight into its own output tensors.</summary>
internal static class LinearKernels
{
    public static void Apply(Tensor x, Tensor w, Tensor? b, Tensor y)
    {
        Gemm.Multiply(x, false, w, true, y);
        if (b is not null)
        {
            ElementwiseKernels.AddRowVector(y, b, y);
        }
    }
}
