// The trainer's optimizer: the engine's Adam (PyTorch semantics) over a model's trainable parameters, plus checkpoint I/O.
using System.Globalization;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Training;

/// <summary>Adam over every trainable parameter (dense: every entry every step, as PyTorch does for BM3's
/// tables), with the moments saved as optimizer.exp_avg.&lt;name&gt; / optimizer.exp_avg_sq.&lt;name&gt;.</summary>
internal sealed class AdamOptimizer
{
    private readonly Adam _adam;
    private readonly List<ModelParameter> _parameters;

    /// <summary>Adam over a model's parameters. With <paramref name="deferRows"/>, the model's row-sparse
    /// parameters (raw feature tables) keep a row-sparse gradient, and the rows a step does not touch are updated
    /// later, when next read or saved, by replaying the missed steps: bit-identical to updating every row every
    /// step, without a table-sized gradient and without moving the untouched rows through memory at every step.</summary>
    public AdamOptimizer(IRecommenderModel model, double lr, double weightDecay = 0, bool deferRows = true)
    {
        var sparse = deferRows && model is IRowSparseModel rowSparse ? rowSparse.RowSparseParameters.Where(p => p.Trainable).ToList() : [];
        foreach (var p in sparse)
        {
            p.Variable.UseRowSparseGrad();
        }

        (_parameters, _adam) = Build(model.Parameters, lr, weightDecay, lazy: false);
        foreach (var p in sparse)
        {
            _adam.DeferRows(p.Name, p.Variable.SparseGrad!);
        }

        if (sparse.Count > 0)
        {
            ((IRowSparseModel)model).BeforeRowsRead = (p, rows) => _adam.CatchUp(p.Name, rows);
        }
    }

    /// <summary>Dense Adam over the trainable parameters (gradient buffers are allocated where missing).</summary>
    public AdamOptimizer(IReadOnlyList<ModelParameter> parameters, double lr, double weightDecay = 0, bool lazy = false)
    {
        foreach (var p in parameters.Where(p => p.Trainable))
        {
            p.Variable.AllocateGrad();
        }

        (_parameters, _adam) = Build(parameters, lr, weightDecay, lazy);
    }

    /// <summary>The learning rate of the next steps (the trainer sets it per epoch from learning_rate_scheduler).</summary>
    public float LearningRate
    {
        get => _adam.LearningRate;
        set => _adam.LearningRate = value;
    }

    /// <summary>Steps taken (PyTorch's state['step']).</summary>
    public long StepCount => _adam.StepCount;

    /// <summary>Clears every gradient.</summary>
    public void ZeroGrad() => _adam.ZeroGrad();

    /// <summary>One update of every trainable parameter from its gradient.</summary>
    public void Step() => _adam.Step();

    /// <summary>Brings deferred rows up to date; call before reading or saving whole parameters.</summary>
    public void Flush() => _adam.CatchUpAll();

    /// <summary>The moments as checkpoint tensors.</summary>
    public IEnumerable<NamedTensor> ExportTensors()
    {
        var state = _adam.LiveState();
        for (var i = 0; i < _parameters.Count; i++)
        {
            yield return new NamedTensor("optimizer.exp_avg." + _parameters[i].Name, _parameters[i].Shape, state.Moments[i].ExpAvg);
            yield return new NamedTensor("optimizer.exp_avg_sq." + _parameters[i].Name, _parameters[i].Shape, state.Moments[i].ExpAvgSq);
        }
    }

    /// <summary>Restores moments and step count from a checkpoint written with <see cref="ExportTensors"/>.</summary>
    public void Import(SafeTensorsFile file, string path)
    {
        var moments = _parameters.Select(p => new AdamMoments(
            p.Name,
            Find(file, "optimizer.exp_avg." + p.Name, p, path),
            Find(file, "optimizer.exp_avg_sq." + p.Name, p, path))).ToList();
        var text = file.Metadata.GetValueOrDefault("optimizer_step") ?? throw new DataFormatException(path, "no optimizer_step in metadata");
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
        {
            throw new DataFormatException(path, $"metadata optimizer_step '{(text.Length <= 40 ? text : text[..40] + "...")}' is not a non-negative integer");
        }

        _adam.ImportState(new AdamState(step, moments));
    }

    private static (List<ModelParameter> Parameters, Adam Adam) Build(IReadOnlyList<ModelParameter> all, double lr, double weightDecay, bool lazy)
    {
        var parameters = all.Where(p => p.Trainable).ToList();
        foreach (var p in parameters)
        {
            if (p.Variable.SparseGrad is null)
            {
                p.Variable.AllocateGrad();
            }
        }

        var adam = new Adam(
            parameters.Select(p => (p.Name, p.Value, p.Grad)).ToList(),
            new AdamOptions { Lr = (float)lr, WeightDecay = (float)weightDecay, SkipZeroGradRows = lazy });
        return (parameters, adam);
    }

    private static Tensor Find(SafeTensorsFile file, string name, ModelParameter p, string path)
    {
        var t = file.Find(name) ?? throw new DataFormatException(path, $"optimizer state '{name}' is missing");
        if (t.Value.Length != p.Value.Length)
        {
            throw new DataFormatException(path, $"optimizer state '{name}' has {t.Value.Length} values, expected {p.Value.Length}");
        }

        return new Tensor(p.Value.Rows, p.Value.Cols, t.Value.Data);
    }
}
