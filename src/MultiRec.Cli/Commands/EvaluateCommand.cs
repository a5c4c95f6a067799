// `multirec evaluate`: metrics of a run folder on valid or test, through RecommenderRun.EvaluateFolder.
using System.CommandLine;
using System.Text.Json;
using MultiRec.Evaluation;

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
            var result = RecommenderRun.EvaluateFolder(parse.GetValue(run)!, which);
            if (parse.GetValue(json))
            {
                var obj = new Dictionary<string, object> { ["split"] = which, ["users"] = result.Users };
                foreach (var (k, v) in result.Metrics)
                {
                    obj[k] = v;
                }

                output.WriteLine(JsonSerializer.Serialize(obj));
            }
            else
            {
                output.WriteLine($"{which}: {result.Users} users");
                output.Write(MetricTable.Format(result.ToMetricSet(), null));
            }

            return 0;
        });
        return cmd;
    }
}
