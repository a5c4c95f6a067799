// The BM3 training loss (MMRec bm3.py calculate_loss) written against the tape, for the bm3_loss fixture.
using MultiRec.Engine.Autograd;

namespace MultiRec.Tests.Engine.Autograd;

/// <summary>
/// Builds BM3's loss the way the model will: full-graph LightGCN mean readout, item residual, predictor on
/// the batch rows only (LinearRows), modality projections on the batch's unique items only, detached dropout
/// targets (PyTorch's masks replayed), 1 - mean cos terms, unsquared Frobenius regulariser.
/// </summary>
internal static class SmallBm3Loss
{
    public static Variable Build(Tape tape, OpFixture f)
    {
        var settings = f.Float("const_settings");
        var layers = (int)settings[0, 0];
        double p = settings[0, 1];
        var regWeight = settings[0, 2];
        var clWeight = settings[0, 3];
        var graph = TestGraphs.FromDense(f.Float("const_adjacency"));
        var users = f.Indices("users");
        var items = f.Indices("items");
        Variable eu = f["user_embedding"], ei = f["item_id_embedding"];
        Variable wp = f["predictor_weight"], bp = f["predictor_bias"];

        var ego = tape.ConcatRows(eu, ei);
        var terms = new List<Variable> { ego };
        for (var l = 0; l < layers; l++)
        {
            terms.Add(tape.SparseMultiply(graph, terms[^1], isSymmetric: true));
        }

        var h = tape.MeanOf(terms);
        var hu = tape.SliceRows(h, 0, eu.Rows);
        var hi = tape.Add(tape.SliceRows(h, eu.Rows, ei.Rows), ei);

        // Modality projections only for the batch's unique items; positions map batch rows into them.
        var unique = items.Distinct().Order().ToArray();
        var position = items.Select(i => Array.BinarySearch(unique, i)).ToArray();
        var hv = tape.LinearRows(f["image_embedding"], unique, f["image_trs_weight"], f["image_trs_bias"]);
        var ht = tape.LinearRows(f["text_embedding"], unique, f["text_trs_weight"], f["text_trs_bias"]);

        Variable tu, ti, tv, tt;
        using (tape.NoGrad())
        {
            tu = tape.GatherRows(tape.DropoutWithMask(hu.Detach(), f.Float("mask_u"), p), users);
            ti = tape.GatherRows(tape.DropoutWithMask(hi.Detach(), f.Float("mask_i"), p), items);
            tv = tape.GatherRows(tape.DropoutWithMask(hv.Detach(), GatherMask(f, "mask_v", unique), p), position);
            tt = tape.GatherRows(tape.DropoutWithMask(ht.Detach(), GatherMask(f, "mask_t", unique), p), position);
        }

        var onU = tape.LinearRows(hu, users, wp, bp);
        var onI = tape.LinearRows(hi, items, wp, bp);
        var onV = tape.LinearRows(hv, position, wp, bp);
        var onT = tape.LinearRows(ht, position, wp, bp);

        Variable OneMinusMeanCos(Variable x, Variable target) => tape.ConstantMinus(1f, tape.MeanAll(tape.CosineSimilarityRows(x, target)));

        var reconstruction = tape.Add(OneMinusMeanCos(onU, ti), OneMinusMeanCos(onI, tu));
        var regulariser = tape.Scale(tape.Add(tape.FrobeniusNorm(hu), tape.FrobeniusNorm(hi)), regWeight / ei.Rows);
        var contrastive = tape.Add(
            tape.Add(OneMinusMeanCos(onT, ti), OneMinusMeanCos(onV, ti)),
            tape.Add(OneMinusMeanCos(onT, tt), OneMinusMeanCos(onV, tv)));
        return tape.Add(tape.Add(reconstruction, regulariser), tape.Scale(contrastive, clWeight));
    }

    private static MultiRec.Engine.Tensor GatherMask(OpFixture f, string name, int[] rows)
    {
        var full = f.Float(name);
        var mask = new MultiRec.Engine.Tensor(rows.Length, full.Cols);
        for (var k = 0; k < rows.Length; k++)
        {
            full.Row(rows[k]).CopyTo(mask.Row(k));
        }

        return mask;
    }
}
