// The contract between a model and the trainer, evaluator and checkpoints.
using MultiRec.Engine;
using MultiRec.Engine.Autograd;

namespace MultiRec.Models;

/// <summary>A model parameter: its checkpoint name (the reference state_dict key), the shape recorded in
/// checkpoints (1-D for biases, as PyTorch), its autograd variable, and whether the optimizer updates it.</summary>
internal sealed record ModelParameter(string Name, int[] Shape, Variable Variable, bool Trainable)
{
    /// <summary>The parameter's values.</summary>
    public Tensor Value => Variable.Value;

    /// <summary>The accumulated dense gradient (null before the first backward pass, always for frozen parameters,
    /// and for parameters keeping a row-sparse gradient: <see cref="Variable.SparseGrad"/>).</summary>
    public Tensor? Grad => Variable.Grad;
}

/// <summary>Loss terms of one batch (names such as "rec", "align", "mask", "reg") and their weighted total.</summary>
internal sealed record LossTerms(IReadOnlyDictionary<string, double> Terms, double Total);

/// <summary>What a model's training batches carry.</summary>
internal enum BatchKind
{
    /// <summary>(user, positive item) rows only.</summary>
    Pairs,

    /// <summary>(user, positive item) rows with one sampled negative each (baselines-reference §2.2).</summary>
    PairsWithNegatives,
}

/// <summary>A recommender that the trainer can optimise and the evaluator can score.</summary>
internal interface IRecommenderModel
{
    /// <summary>Model name, e.g. "BM3".</summary>
    string Name { get; }

    /// <summary>Every parameter, in checkpoint order.</summary>
    IReadOnlyList<ModelParameter> Parameters { get; }

    /// <summary>What the model's batches carry (negatives or not).</summary>
    BatchKind Batches => BatchKind.Pairs;

    /// <summary>When set, ForwardBackward adds the time of its named phases to it (for `multirec bench`).</summary>
    StepProfile? Profile { get; set; }

    /// <summary>Forward and backward pass of one batch. Gradients are accumulated into each parameter's Grad (the
    /// caller zeroes them before the batch). Random draws come from <see cref="TrainingBatch.StepSeed"/>.</summary>
    LossTerms ForwardBackward(TrainingBatch batch);

    /// <summary>Called before the first batch of every epoch (1-based), also when a run resumes inside it, with a
    /// seed derived from the run seed and the epoch (FREEDOM re-prunes its graph here).</summary>
    void BeginEpoch(int epoch, ulong seed)
    {
    }

    /// <summary>Called after every optimizer step (BUIR's momentum update of its target encoder).</summary>
    void AfterStep()
    {
    }

    /// <summary>Scoring embeddings in evaluation mode (no dropout): score(u, i) = Users[u] · Items[i].</summary>
    (Tensor Users, Tensor Items) ScoringEmbeddings();

    /// <summary>Drops the buffers kept between training steps (the autograd tape's free buffers), so that other
    /// work, such as an evaluation, can use the memory once it is collected; the next step allocates them again.</summary>
    void ReleaseStepBuffers();
}

/// <summary>A model some of whose parameters are read, and have a non-zero gradient, only at a few rows per step
/// (BM3's raw feature tables). An optimizer can then defer the other rows' updates exactly.</summary>
internal interface IRowSparseModel
{
    /// <summary>The row-sparse parameters.</summary>
    IReadOnlyList<ModelParameter> RowSparseParameters { get; }

    /// <summary>Called by the model before it reads rows of a row-sparse parameter (unique row ids).</summary>
    Action<ModelParameter, int[]>? BeforeRowsRead { get; set; }
}
