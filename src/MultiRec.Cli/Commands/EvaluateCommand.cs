// `multirec evaluate`: metrics of a run folder on valid or test.
using System.CommandLine;
using System.Text.Json;
using MultiRec.Evaluation;
using MultiRec.Training;

namespace MultiRec.Cli.Commands;

/// <summary>The `evaluate` verb.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Run folder written by `multirec train`.", Required = true };
        var split = new Option<string>("--split") { Description = "Split to evaluate.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("valid", "test");
        var json = new Option<bool>("--json") { Description = "Print one JSON object of metrics." };
        var cmd = new Command("evaluate", "Evaluate a run's scoring embeddings with full ranking (training items masked).") { run, split, json };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var which = parse.GetValue(split)!;
            var metrics = RunEvaluation.Evaluate(parse.GetValue(run)!, which);
            if (parse.GetValue(json))
            {
                var obj = new Dictionary<string, object> { ["split"] = which, ["users"] = metrics.UsersEvaluated };
                foreach (var (k, v) in metrics.ToDictionary())
                {
                    obj[k] = v;
                }

                output.WriteLine(JsonSerializer.Serialize(obj));
            }
            else
            {
                output.WriteLine($"{which}: {metrics.UsersEvaluated} users");
                output.Write(MetricTable.Format(metrics, null));
            }

            return 0;
        });
        return cmd;
    }
}
