// The float32 normalisation factor the references compute with torch: (d + 1e-7)^-1/2 as 1/sqrt in float32.
namespace MultiRec.Models.Graph;

/// <summary>r(d) = fl32(1 / fl32(sqrt(fl32(d + 1e-7)))): torch.pow(x, −0.5) on a float32 degree. For d = 1 the sum
/// rounds to 1.00000012, whose square root rounds to 1, so r(1) = 1 exactly.</summary>
internal static class InverseSqrtDegree
{
    public static float Of(float degree) => 1f / MathF.Sqrt(degree + 1e-7f);
}
