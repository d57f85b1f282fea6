using OnnxScoring;

// OnnxScoring <model.onnx> <input.idv> <results.bin>: scores the rows of an ML.NET binary data file with the model,
// by ONNX Runtime and by ML.NET's ApplyOnnxModel, and writes every numeric output of both (see ScoreFile).
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: OnnxScoring <model.onnx> <input.idv> <results.bin>");
    return 2;
}
var results = OnnxScorer.ScoreBothWays(args[0], args[1]);
ScoreFile.Write(args[2], results);
foreach (var result in results)
    Console.WriteLine($"{result.Method,-16} {result.Output,-28} {result.Rows} rows x {result.Width}");
return 0;
