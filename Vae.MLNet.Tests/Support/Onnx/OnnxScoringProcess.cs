using Microsoft.ML;
using OnnxScoring;
using Vae.MLNet.Tests.Packaging;

namespace Vae.MLNet.Tests.Support.Onnx;

/// <summary>
/// Exports a fitted pipeline with <c>mlContext.Model.ConvertToOnnx</c> and scores it in a separate process,
/// examples/OnnxScoring, an application that references neither Vae.MLNet nor TorchSharp (its deps file lists neither,
/// so it could not load them): by ONNX Runtime directly and by ML.NET's ApplyOnnxModel.
/// </summary>
internal static class OnnxScoringProcess
{
    /// <summary>What came back from the scorer, per method and output name.</summary>
    internal sealed record Scored(string ModelPath, IReadOnlyList<ScoredOutput> Results)
    {
        public ScoredOutput Get(string method, string column) =>
            Results.SingleOrDefault(r => r.Method == method && r.Output == column + ".output")
            ?? throw new AssertFailedException($"The {method} scoring gave no output '{column}.output'; it gave {string.Join(", ", Results.Where(r => r.Method == method).Select(r => r.Output))}.");
    }

    public static readonly string[] Methods = ["OnnxRuntime", "ApplyOnnxModel"];

    /// <summary>
    /// Converts <paramref name="model"/> to ONNX for <paramref name="rows"/>' schema (at <paramref name="opset"/>, or the
    /// converter's default), then scores those rows in the scorer process.
    /// </summary>
    public static Scored ExportAndScore(MLContext ml, ITransformer model, IDataView rows, string folder, int? opset = null)
    {
        Directory.CreateDirectory(folder);
        string modelPath = Path.Combine(folder, "model.onnx"), inputPath = Path.Combine(folder, "input.idv"), resultsPath = Path.Combine(folder, "results.bin");
        using (var stream = File.Create(modelPath))
        {
            if (opset is int version) ml.Model.ConvertToOnnx(model, rows, version, stream);
            else ml.Model.ConvertToOnnx(model, rows, stream);
        }
        using (var stream = File.Create(inputPath)) ml.Data.SaveAsBinary(rows, stream, keepHidden: false);
        string scorer = Path.Combine(AppContext.BaseDirectory, "OnnxScoring.dll");
        Assert.IsTrue(File.Exists(scorer), $"{scorer} is missing: the test project references examples/OnnxScoring.");
        string deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OnnxScoring.deps.json"));
        Assert.DoesNotContain("Vae.MLNet", deps, "the scoring application must not be able to load Vae.MLNet");
        Assert.DoesNotContain("TorchSharp", deps, "the scoring application must not be able to load TorchSharp");
        DotnetCli.Run(folder, ["exec", scorer, modelPath, inputPath, resultsPath], timeout: TimeSpan.FromMinutes(3)).Succeeded("the ONNX scoring process");
        return new Scored(modelPath, ScoreFile.Read(resultsPath));
    }
}
