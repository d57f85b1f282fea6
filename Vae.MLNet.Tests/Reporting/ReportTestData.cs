using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Reporting;

/// <summary>A generated row: 20 features in (0, 1) (a 4×5 "image"), a numeric class and the class's name.</summary>
public sealed class ReportRow
{
    [VectorType(ReportTestData.Dimension)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }

    public string Kind { get; set; } = "";
}

/// <summary>
/// Three classes around centres in a 2-D latent space, mapped to 20 features through a fixed random linear map and a
/// sigmoid, so the data suits both likelihoods and can be drawn as 4×5 images.
/// </summary>
internal static class ReportTestData
{
    public const int Dimension = 20;
    public static readonly string[] Kinds = ["circle", "square", "triangle"];

    public static ReportRow[] Generate(int rows, int seed = 0)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var map = new Random(99);
        var weights = Enumerable.Range(0, Dimension * 2).Select(_ => map.NextDouble() * 2 - 1).ToArray();
        return Enumerable.Range(0, rows).Select(_ =>
        {
            int label = random.Next(3);
            double z0 = 2 * Math.Cos(2 * Math.PI * label / 3) + 0.3 * Normal(), z1 = 2 * Math.Sin(2 * Math.PI * label / 3) + 0.3 * Normal();
            var x = Enumerable.Range(0, Dimension).Select(i => (float)(1 / (1 + Math.Exp(-(weights[2 * i] * z0 + weights[2 * i + 1] * z1))))).ToArray();
            return new ReportRow { Features = x, Label = label, Kind = Kinds[label] };
        }).ToArray();
    }
}
