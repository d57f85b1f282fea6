using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Vae.MLNet.Columns;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.Onnx;

namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>What became of one combination: refused before training, or fitted; and what went wrong, if anything.</summary>
internal sealed record CombinationOutcome(string Combination, bool Refused, string? Refusal, IReadOnlyList<string> Failures, double Seconds, string Timing = "");

/// <summary>
/// Runs one combination and checks that exactly one holds: it is refused before any training with an
/// ArgumentException naming the conflicting options; or it fits, and then every output is finite on the training
/// rows, Transform and a PredictionEngine agree row by row, Save → Load gives identical outputs, ConvertToOnnx
/// matches Transform within 1e-5 or refuses naming an option that is set, and every factor at a non-default level
/// changes the outputs against the same Fit with that factor at its default.
/// </summary>
internal sealed class CombinationRunner<TOptions>(CombinationSubject<TOptions> subject, string workFolder) where TOptions : class
{
    private const double EngineTolerance = 1e-4, OnnxTolerance = 1e-5;

    public CombinationOutcome Run(int[] levels, bool checkOnnx)
    {
        var clock = Stopwatch.StartNew();
        string name = subject.Describe(levels);
        var failures = new List<string>();
        var rows = subject.Rows(levels);
        var (model, refusal) = Fit(levels, rows, out var options, failures);
        var phases = new List<string> { $"fit {clock.Elapsed.TotalSeconds:F1} s" };
        if (model is null) return new CombinationOutcome(name, refusal is not null, refusal, failures, clock.Elapsed.TotalSeconds);
        try
        {
            var ml = new MLContext(seed: 1);
            var data = CombinationData.View(ml, rows);
            string[] columns = subject.OutputColumns(options);
            var outputs = Outputs(model, data, columns);
            bool finite = Check(failures, "finite outputs", () => Finite(outputs, columns));
            Check(failures, "PredictionEngine", () => EngineAgrees(ml, model, rows, options, outputs, columns));
            Check(failures, "Save → Load", () => LoadedAgrees(ml, model, data, outputs, columns));
            phases.Add($"checks {clock.Elapsed.TotalSeconds:F1} s");
            if (checkOnnx) Check(failures, "ONNX", () => OnnxAgrees(ml, model, CombinationData.OnnxView(ml, rows, subject.ConditionColumn(options)), levels, columns));
            phases.Add($"ONNX {clock.Elapsed.TotalSeconds:F1} s");
            // Outputs that are not finite compare equal whatever the options: the effect check would prove nothing.
            if (finite) Check(failures, "effect", () => EveryFactorHasAnEffect(levels, rows, outputs));
            phases.Add($"effect {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
        return new CombinationOutcome(name, false, null, failures, clock.Elapsed.TotalSeconds, string.Join(", ", phases));
    }

    /// <summary>Fits the combination; null with the refusal (or a failure) when it did not fit.</summary>
    private (ITransformer? model, string? refusal) Fit(int[] levels, CombinationRow[] rows, out TOptions options, List<string> failures)
    {
        options = subject.Options(levels);
        int reports = 0;
        subject.OnProgress(options, () => reports++);
        var ml = new MLContext(seed: 1);
        try
        {
            return (subject.Estimator(ml, options).Fit(CombinationData.View(ml, rows)), null);
        }
        catch (ArgumentException e)
        {
            string refusal = $"{e.GetType().Name}({e.ParamName}): {FirstLine(e.Message)}";
            if (reports > 0) failures.Add($"refused after {reports} epochs of training: {refusal}");
            failures.AddRange(RefusalProblems(e));
            return (null, refusal);
        }
        catch (Exception e)
        {
            failures.Add($"Fit threw {e.GetType().Name}: {FirstLine(e.Message)}");
            return (null, null);
        }
    }

    /// <summary>A refusal names the option (its ParamName) and another one it conflicts with.</summary>
    private IEnumerable<string> RefusalProblems(ArgumentException e)
    {
        if (e.ParamName is not { } param || !subject.OptionNames.Contains(param))
        {
            yield return $"the refusal's ParamName '{e.ParamName}' is not an option: {FirstLine(e.Message)}";
            yield break;
        }
        var named = subject.OptionNames.Where(n => Regex.IsMatch(e.Message, $@"\b{n}\b")).ToArray();
        if (!named.Contains(param)) yield return $"the refusal of {param} does not name it: {FirstLine(e.Message)}";
        if (named.Length < 2) yield return $"the refusal names only {string.Join(", ", named)}, not the option it conflicts with: {FirstLine(e.Message)}";
    }

    private static float[][] Outputs(ITransformer model, IDataView data, string[] columns)
    {
        var transformed = model.Transform(data);
        return columns.Select(c => OnnxComparison.Column(transformed, c)).ToArray();
    }

    private static void Finite(float[][] outputs, string[] columns)
    {
        for (int c = 0; c < columns.Length; c++)
        {
            int bad = outputs[c].Count(v => !float.IsFinite(v));
            if (bad > 0) throw new AssertFailedException($"{bad} of {outputs[c].Length} values of '{columns[c]}' are not finite (first: {outputs[c].First(v => !float.IsFinite(v))})");
        }
    }

    private void EngineAgrees(MLContext ml, ITransformer model, CombinationRow[] rows, TOptions options, float[][] outputs, string[] columns)
    {
        var predicted = subject.Predict(ml, model, rows, options);
        for (int r = 0; r < rows.Length; r++)
        {
            int at = 0;
            for (int c = 0; c < columns.Length; c++)
            {
                int width = outputs[c].Length / rows.Length;
                for (int j = 0; j < width; j++, at++)
                {
                    float want = outputs[c][r * width + j], got = predicted[r][at];
                    if (!(Math.Abs(want - got) <= EngineTolerance * (1 + Math.Abs(want))))
                        throw new AssertFailedException($"row {r} '{columns[c]}'[{j}]: Transform {want}, PredictionEngine {got}");
                }
            }
        }
    }

    private static void LoadedAgrees(MLContext ml, ITransformer model, IDataView data, float[][] outputs, string[] columns)
    {
        var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed: 2).Model.Load(stream, out _);
        try
        {
            var again = Outputs(loaded, data, columns);
            for (int c = 0; c < columns.Length; c++)
            {
                int differ = outputs[c].Where((v, i) => BitConverter.SingleToInt32Bits(v) != BitConverter.SingleToInt32Bits(again[c][i])).Count();
                if (differ > 0) throw new AssertFailedException($"'{columns[c]}': {differ} of {outputs[c].Length} values differ after Save → Load");
            }
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private void OnnxAgrees(MLContext ml, ITransformer model, IDataView data, int[] levels, string[] columns)
    {
        string folder = Path.Combine(workFolder, $"onnx-{Guid.NewGuid():N}");
        try
        {
            OnnxScoringProcess.Scored scored;
            try
            {
                scored = OnnxScoringProcess.ExportAndScore(ml, model, data, folder);
            }
            catch (NotSupportedException e)
            {
                var set = SetOptions(levels).Concat(subject.OnnxRefusalTerms).ToArray();
                if (!set.Any(n => Regex.IsMatch(e.Message, $@"\b{n}\b")))
                    throw new AssertFailedException($"ConvertToOnnx refused without naming an option that is set or the transformer ({string.Join(", ", set)}): {FirstLine(e.Message)}");
                return;
            }
            foreach (string method in OnnxScoringProcess.Methods)
                foreach (string column in columns)
                {
                    double difference = OnnxComparison.MaxDifference(model.Transform(data), scored, method, column);
                    if (difference > OnnxTolerance) throw new AssertFailedException($"{method} '{column}' differs from Transform by up to {difference:E3}");
                }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The options set by the factors that are not at level 0.</summary>
    private string[] SetOptions(int[] levels) =>
        subject.Factors.Where((f, i) => levels[i] != 0).SelectMany(f => f.Options).Distinct().ToArray();

    /// <summary>
    /// Each factor away from its default changes the outputs: the same Fit with the factor at its default gives other
    /// values (or other columns), or that combination is refused or cannot fit (so the setting was needed).
    /// </summary>
    private void EveryFactorHasAnEffect(int[] levels, CombinationRow[] rows, float[][] outputs)
    {
        var without = new List<string>();
        for (int f = 0; f < subject.Factors.Count; f++)
        {
            var factor = subject.Factors[f];
            if (factor.Baseline(levels[f]) is not int baseline || factor.EffectDependsOnData?.Invoke(levels) == true) continue;
            var other = (int[])levels.Clone();
            other[f] = baseline;
            var options = subject.Options(other);
            var ml = new MLContext(seed: 1);
            ITransformer model;
            try
            {
                model = subject.Estimator(ml, options).Fit(CombinationData.View(ml, rows));
            }
            catch (Exception)
            {
                continue;
            }
            try
            {
                var columns = subject.OutputColumns(options);
                var theirs = Outputs(model, CombinationData.View(ml, rows), columns);
                bool same = theirs.Length == outputs.Length && theirs.Zip(outputs).All(p => p.First.AsSpan().SequenceEqual(p.Second));
                if (same) without.Add($"{factor.Name} {factor.Levels[levels[f]]} (same outputs as {factor.Levels[baseline]})");
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
        }
        if (without.Count > 0) throw new AssertFailedException($"set but without effect: {string.Join("; ", without)}");
    }

    private static bool Check(List<string> failures, string what, Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (Exception e)
        {
            failures.Add($"{what}: {(e is AssertFailedException ? "" : e.GetType().Name + ": ")}{Shorten(e.Message)}");
            return false;
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>The message on one line, cut to a length a report can hold (a child process's output can be long).</summary>
    private static string Shorten(string message)
    {
        string line = string.Join(" | ", message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        return line.Length <= 900 ? line : line[..900] + " …";
    }
}
