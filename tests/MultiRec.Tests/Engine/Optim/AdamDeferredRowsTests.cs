// Deferred rows must give exactly the values of dense Adam (every row, every step), bit for bit.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Optim;

public class AdamDeferredRowsTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    public void DeferredRows_AreBitIdenticalToDenseAdam(float weightDecay)
    {
        const int rows = 37, cols = 19, steps = 12;
        var rng = new Rng(7);
        var init = new Tensor(rows, cols);
        rng.FillNormal(init, 0f, 1f);
        var (denseP, denseG) = (init.Clone(), new Tensor(rows, cols));
        var (lazyP, lazyG) = (init.Clone(), new RowSparseGradient(rows, cols));
        var options = new AdamOptions { Lr = 0.01f, WeightDecay = weightDecay };
        var dense = new Adam([("w", denseP, denseG)], options);
        var lazy = new Adam([("w", lazyP, null)], options);
        lazy.DeferRows("w", lazyG);

        for (var s = 0; s < steps; s++)
        {
            // A few unique rows get a gradient this step; reading some of them first exercises CatchUp.
            var touched = Enumerable.Range(0, rows).Where(_ => rng.NextDouble() < 0.2).ToArray();
            lazy.CatchUp("w", touched);
            dense.ZeroGrad();
            lazy.ZeroGrad();
            var gradients = new Tensor(touched.Length, cols);
            for (var k = 0; k < touched.Length; k++)
            {
                for (var c = 0; c < cols; c++)
                {
                    var g = (float)rng.NextDouble() - 0.5f;
                    denseG[touched[k], c] = g;
                    gradients[k, c] = g;
                }
            }

            lazyG.Accumulate(touched, gradients);
            dense.Step();
            lazy.Step();
            foreach (var r in touched)
            {
                Assert.Equal(denseP.Row(r).ToArray(), lazyP.Row(r).ToArray());
            }
        }

        var denseState = dense.ExportState();
        var lazyState = lazy.ExportState(); // catches every row up
        Assert.Equal(denseP.AsSpan().ToArray(), lazyP.AsSpan().ToArray());
        Assert.Equal(denseState.Moments[0].ExpAvg.AsSpan().ToArray(), lazyState.Moments[0].ExpAvg.AsSpan().ToArray());
        Assert.Equal(denseState.Moments[0].ExpAvgSq.AsSpan().ToArray(), lazyState.Moments[0].ExpAvgSq.AsSpan().ToArray());
        Assert.Equal(0, lazyG.Count); // applied gradients are cleared
    }
}
