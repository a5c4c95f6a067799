// One call that does what `multirec train` does: resolve config, load data, build the model, train, write the run
// folder (config.yaml and the run.json manifest first, then checkpoints, embeddings and reports).
using MultiRec.Config;
using MultiRec.Data;
using MultiRec.Engine;
using MultiRec.Models;
using MultiRec.Training.Checkpoints;

namespace MultiRec.Training;

/// <summary>What to train: a model on a dataset folder, with config layers and run-folder options.</summary>
internal sealed record TrainRequest
{
    /// <summary>Catalog model name (default BM3).</summary>
    public string Model { get; init; } = Models.ModelCatalog.Default;

    /// <summary>Dataset folder (ignored when resuming: the run's config names it).</summary>
    public string? DataDir { get; init; }

    /// <summary>Interaction file inside <see cref="DataDir"/> (--inter); null: the folder's own.</summary>
    public string? InterFile { get; init; }

    /// <summary>How <see cref="DataDir"/> is loaded.</summary>
    public DatasetLoadOptions LoadOptions => new() { InterFileName = InterFile };

    /// <summary>A YAML file applied after the default, dataset and model layers (--config).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>key=value overrides applied last (--set).</summary>
    public IReadOnlyList<string> Set { get; init; } = [];

    /// <summary>Run folder; default runs/&lt;model&gt;-&lt;dataset&gt;-&lt;timestamp&gt;.</summary>
    public string? OutDir { get; init; }

    /// <summary>A safetensors file with initial weights (reference state_dict names).</summary>
    public string? InitFile { get; init; }

    /// <summary>A run folder to continue from its last.safetensors.</summary>
    public string? ResumeRun { get; init; }

    /// <summary>Write into <see cref="OutDir"/> even when it is not empty (files of the same name are replaced).
    /// Default false: a non-empty folder is refused, so a finished run is never overwritten by surprise.</summary>
    public bool Force { get; init; }
}

/// <summary>Everything a finished training produced.</summary>
internal sealed record TrainOutcome(TrainingResult Result, RunFolder Run, Dataset Data, IRecommenderModel Model, ResolvedConfig Config);

/// <summary>Runs a training request end to end.</summary>
internal static class TrainingSession
{
    /// <summary>The schema of every key a run of <paramref name="model"/> accepts.</summary>
    public static ConfigSchema SchemaFor(string model) =>
        new(typeof(RunOptions), typeof(TrainingOptions), ModelCatalog.OptionsType(model));

    /// <summary>Resolves the configuration of a new run (no files written).</summary>
    public static ResolvedConfig ResolveConfig(TrainRequest request, Dataset data, bool allowAxes = false, ConfigLayer? grid = null)
    {
        var model = ModelCatalog.Canonical(request.Model);
        var extra = new Dictionary<string, string> { ["model"] = model, ["data_path"] = Path.GetFullPath(data.Directory) };
        if (request.InterFile is not null)
        {
            extra["inter_file"] = request.InterFile;
        }

        var config = ConfigBuilder.Build(SchemaFor(model), model, data.Name, request.ConfigFile, request.Set, extra, grid, allowAxes);
        return allowAxes ? config : ConfigChecks.Validate(config);
    }

    /// <summary>A dataset without a training row is refused (nothing to learn from); one without validation or test
    /// users trains, with a warning that the metrics of that split will be zero and early stopping has nothing to go on.</summary>
    public static void CheckLearnable(Dataset data, ITrainingObserver observer)
    {
        if (data.TrainUsers.Length == 0)
        {
            throw new DataFormatException(data.InterFile, $"no training row (x_label 0) among the {data.InteractionCount} rows: nothing to learn from");
        }

        var valid = data.Valid.NonEmptyUsers().Length;
        var test = data.Test.NonEmptyUsers().Length;
        if (valid == 0 || test == 0)
        {
            observer.OnMessage($"warning: {data.InterFile}: {valid} validation and {test} test users (x_label 1 / 2 rows of users with training rows): the metrics of an empty split are 0{(valid == 0 ? " and early stopping and model selection have nothing to compare" : "")}");
        }
    }

    /// <summary>Trains and writes the run folder.</summary>
    public static TrainOutcome Train(TrainRequest request, ITrainingObserver? observer = null, ResolvedConfig? preResolved = null)
    {
        observer ??= SilentObserver.Instance;
        RunFolder run;
        ResolvedConfig config;
        Dataset data;
        string? dataGiven;
        if (request.ResumeRun is not null)
        {
            run = new RunFolder(request.ResumeRun);
            if (!File.Exists(run.LastCheckpoint))
            {
                throw new DataFormatException(run.LastCheckpoint, "cannot resume: no last.safetensors in the run folder");
            }

            var runModel = RunConfig.ReadModel(run.ConfigFile);
            // The run's resolved config, then --set overrides (e.g. max_steps=0 or a larger epochs). config.yaml is
            // rewritten only once the checkpoint has been restored under the new config (a failed resume changes nothing).
            config = ConfigChecks.Validate(ResolvedConfig.Resolve(SchemaFor(runModel), [YamlConfigReader.ReadFile(run.ConfigFile), YamlConfigReader.ParseSetPairs(request.Set)]));
            data = Dataset.Load(RunConfig.DataPath(config, run.ConfigFile), config.Bind<RunOptions>().LoadOptions(loadFeatures: true));
            run.RemoveStaleTempFiles();
            dataGiven = File.Exists(run.ManifestFile) ? RunManifestFile.Read(run.ManifestFile).DataPathGiven : null;
        }
        else
        {
            dataGiven = request.DataDir ?? throw new ArgumentException("--data is required");
            data = Dataset.Load(dataGiven, request.LoadOptions);
            config = preResolved ?? ResolveConfig(request, data);
            var runOptions = config.Bind<RunOptions>();
            run = new RunFolder(request.OutDir ?? RunFolder.DefaultPath(runOptions.Model, data.Name, DateTime.Now));
            run.CheckWritable(request.Force);
            run.Create();
            RunFolder.WriteTextAtomic(run.ConfigFile, config.ToYaml($"Resolved configuration of this run (layers: {string.Join(" -> ", config.Sources)}).\nRe-run: multirec train --model {runOptions.Model} --data DIR --config config.yaml"));
            RunManifestFile.Write(run, RunManifestFile.FromConfig(config, data, dataGiven));
        }

        CheckLearnable(data, observer);
        var training = config.Bind<TrainingOptions>();
        using var threads = ComputeSettings.Use(training.Threads);
        var modelName = config.Bind<RunOptions>().Model;
        var model = ModelCatalog.Create(modelName, data, config, training.Seed);
        if (request.InitFile is not null && request.ResumeRun is null)
        {
            var loaded = Checkpoint.LoadParameters(SafeTensorsFile.Read(request.InitFile), model.Parameters, request.InitFile, requireAll: false);
            if (loaded == 0)
            {
                throw new DataFormatException(request.InitFile, $"no tensor matches a {modelName} parameter name ({string.Join(", ", model.Parameters.Select(p => p.Name))})");
            }

            observer.OnMessage($"initialised {loaded} of {model.Parameters.Count} parameters from {request.InitFile}");
        }

        var trainer = new Trainer(model, data, training, run, observer);
        if (request.ResumeRun is not null)
        {
            trainer.Resume(run.LastCheckpoint);
            if (request.Set.Count > 0)
            {
                RunFolder.WriteTextAtomic(run.ConfigFile, config.ToYaml($"Resolved configuration of this run, resumed with --set {string.Join(" ", request.Set)}."));
            }

            if (request.Set.Count > 0 || !File.Exists(run.ManifestFile))
            {
                RunManifestFile.Write(run, RunManifestFile.FromConfig(config, data, dataGiven));
            }
        }

        var result = trainer.Run();
        if (File.Exists(run.BestCheckpoint))
        {
            Checkpoint.LoadParameters(SafeTensorsFile.Read(run.BestCheckpoint), model.Parameters, run.BestCheckpoint, requireAll: true);
        }

        var (users, items) = model.ScoringEmbeddings();
        NpyFile.Write(run.UserEmbeddings, users.AsSpan(), users.Rows, users.Cols);
        NpyFile.Write(run.ItemEmbeddings, items.AsSpan(), items.Rows, items.Cols);
        RunReport.Write(run, result, trainer.Records, training.Topk, data);
        return new TrainOutcome(result, run, data, model, config);
    }
}
