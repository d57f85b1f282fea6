using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Reporting.Latent;

/// <summary>
/// Latent means in two dimensions: the first two principal components, found by ML.NET's own
/// <c>ProjectToPrincipalComponents</c> (randomized PCA, Halko et al. 2011), with the share of the means' total variance
/// that each component explains.
/// </summary>
internal sealed record LatentProjection(double[][] Points, double[] ExplainedRatio)
{
    private const string Input = "Mean", Output = "Projection";

    private sealed class MeanRow
    {
        public float[] Mean { get; set; } = [];
    }

    /// <summary>Projects <paramref name="means"/> (at least 3 dimensions) on their first two principal components.</summary>
    public static LatentProjection PrincipalComponents(IReadOnlyList<float[]> means, int seed)
    {
        int d = means[0].Length;
        if (d < 3) throw new ArgumentException($"Principal components are for more than two dimensions, got {d}.", nameof(means));
        double total = TotalVariance(means);
        // A cloud with no spread has no principal directions: every point projects to the origin.
        if (!(total > 1e-12)) return new(means.Select(_ => new double[2]).ToArray(), [0, 0]);

        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(MeanRow));
        schema[Input].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var data = ml.Data.LoadFromEnumerable(means.Select(m => new MeanRow { Mean = m }), schema);
        // Oversampling beyond the dimension makes the randomized range finder span the whole space: the exact top components.
        var projected = ml.Transforms.ProjectToPrincipalComponents(Output, Input, rank: 2, overSampling: Math.Max(20, d), ensureZeroMean: true, seed: seed)
            .Fit(data).Transform(data);
        var points = projected.GetColumn<float[]>(Output).Select(p => new double[] { p[0], p[1] }).ToArray();
        var ratio = Enumerable.Range(0, 2).Select(k => Variance(points.Select(p => p[k])) / total).ToArray();
        // Components come in order of the variance they explain; keep it so when two are nearly tied.
        if (ratio[1] > ratio[0])
        {
            points = points.Select(p => new[] { p[1], p[0] }).ToArray();
            ratio = [ratio[1], ratio[0]];
        }
        return new(points, ratio);
    }

    /// <summary>The sum over dimensions of the variance of the means (the trace of their covariance).</summary>
    private static double TotalVariance(IReadOnlyList<float[]> means) =>
        Enumerable.Range(0, means[0].Length).Sum(j => Variance(means.Select(m => (double)m[j])));

    private static double Variance(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / v.Length;
    }
}
