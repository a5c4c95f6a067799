// One optimizer step, the same for the trainer and `multirec bench`: fill the batch (negatives when the model asks),
// zero gradients, the model's forward and backward pass, the Adam step, the model's after-step hook.
using MultiRec.Data;
using MultiRec.Models;
using MultiRec.Models.Common;

namespace MultiRec.Training;

/// <summary>Runs optimizer steps of a model over a dataset's training rows.</summary>
internal sealed class TrainingStep
{
    private readonly IRecommenderModel _model;
    private readonly AdamOptimizer _optimizer;
    private readonly Dataset _data;
    private readonly long _seed;
    private readonly NegativeSampler? _sampler;

    public TrainingStep(IRecommenderModel model, AdamOptimizer optimizer, Dataset data, TrainingOptions options)
    {
        _model = model;
        _optimizer = optimizer;
        _data = data;
        _seed = options.Seed;
        _sampler = model.Batches == BatchKind.PairsWithNegatives ? new NegativeSampler(data.Train) : null;
        Batch = new TrainingBatch(options.TrainBatchSize);
    }

    /// <summary>The batch of the last step.</summary>
    public TrainingBatch Batch { get; }

    /// <summary>When set, the step laps "optimizer" and the model laps its own phases into it.</summary>
    public StepProfile? Profile
    {
        get => _model.Profile;
        set => _model.Profile = value;
    }

    /// <summary>Tells the model an epoch (1-based) begins.</summary>
    public void BeginEpoch(int epoch) => _model.BeginEpoch(epoch, Seeds.ForEpoch(_seed, epoch));

    /// <summary>Step <paramref name="globalStep"/> (0-based over the run) on batch <paramref name="index"/> of the
    /// epoch's row order.</summary>
    public LossTerms Run(int[] order, int index, long globalStep)
    {
        var profile = Profile;
        long? clock = profile?.Start();
        Batch.Fill(_data, order, index, Seeds.ForStep(_seed, globalStep), _sampler);
        _optimizer.ZeroGrad();
        profile?.Lap(ref clock, StepProfile.Optimizer);
        var loss = _model.ForwardBackward(Batch);
        clock = profile?.Start();
        _optimizer.Step();
        _model.AfterStep();
        TrainingMemory.AfterStep();
        profile?.Lap(ref clock, StepProfile.Optimizer);
        if (profile is not null)
        {
            profile.Steps++;
        }

        return loss;
    }
}
