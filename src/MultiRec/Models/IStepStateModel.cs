// A model that carries state from one training step to the next that is not a parameter (LATTICE's item graph, built
// on an epoch's first batch and reused by the others), so that last checkpoints can hold it and a run resumed inside
// an epoch continues bit for bit.
using MultiRec.Engine;

namespace MultiRec.Models;

/// <summary>Non-parameter state kept between training steps; the trainer saves it in last checkpoints (as
/// "state.&lt;name&gt;" tensors) and restores it when a run resumes.</summary>
internal interface IStepStateModel
{
    /// <summary>The state as named tensors (empty when there is none yet).</summary>
    IReadOnlyList<(string Name, Tensor Value)> ExportStepState();

    /// <summary>Restores the state from tensors <see cref="ExportStepState"/> wrote (absent names count as no state).</summary>
    void ImportStepState(Func<string, Tensor?> find);
}
