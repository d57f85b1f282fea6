using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support;

/// <summary>A row of generated data: features and the class that generated them.</summary>
public sealed class LabelledRow
{
    [VectorType(20)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}

/// <summary>
/// The linear-Gaussian latent model x = W z + noise: z is drawn around one of a few class centres in a small
/// latent space, W maps it to 20 observed dimensions. A VAE should recover a latent space where classes separate.
/// </summary>
internal static class SyntheticData
{
    public const int Dimension = 20;

    public static LabelledRow[] LinearGaussian(int rows, int classes = 3, int latent = 2, double noise = 0.1, int seed = 0)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var weights = new double[Dimension, latent];
        var w = new Random(1234);
        for (int i = 0; i < Dimension; i++)
            for (int j = 0; j < latent; j++)
                weights[i, j] = Math.Sqrt(-2 * Math.Log(1 - w.NextDouble())) * Math.Cos(2 * Math.PI * w.NextDouble()) / Math.Sqrt(latent);
        var centres = Enumerable.Range(0, classes).Select(c =>
            Enumerable.Range(0, latent).Select(j => 3.0 * Math.Cos(2 * Math.PI * c / classes + j * Math.PI / 2)).ToArray()).ToArray();
        return Enumerable.Range(0, rows).Select(_ =>
        {
            int label = random.Next(classes);
            var z = centres[label].Select(m => m + 0.5 * Normal()).ToArray();
            var x = new float[Dimension];
            for (int i = 0; i < Dimension; i++)
            {
                double sum = 0;
                for (int j = 0; j < latent; j++) sum += weights[i, j] * z[j];
                x[i] = (float)(sum + noise * Normal());
            }
            return new LabelledRow { Features = x, Label = label };
        }).ToArray();
    }

    /// <summary>Accuracy of assigning each point to the nearest class centroid (centroids from the same points).</summary>
    public static double NearestCentroidAccuracy(IReadOnlyList<float[]> points, IReadOnlyList<float> labels)
    {
        var classes = labels.Distinct().ToArray();
        var centroids = classes.ToDictionary(c => c, c =>
        {
            var members = points.Where((_, i) => labels[i] == c).ToArray();
            return Enumerable.Range(0, points[0].Length).Select(j => members.Average(p => p[j])).ToArray();
        });
        int correct = 0;
        for (int i = 0; i < points.Count; i++)
        {
            float best = classes.MinBy(c => centroids[c].Select((m, j) => (m - points[i][j]) * (m - points[i][j])).Sum());
            if (best == labels[i]) correct++;
        }
        return (double)correct / points.Count;
    }
}
