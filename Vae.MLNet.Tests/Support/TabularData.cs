using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support;

/// <summary>A tabular data set: rows of features (standardized continuous, 0/1 binary, one-hot groups), a binary label and its slot layout.</summary>
internal sealed record TabularSet(float[][] Features, bool[] Labels, VaeSlotLikelihood[] Slots)
{
    public int Dimension => Features[0].Length;

    public TabularSet Rows(int start, int count) => this with { Features = Features[start..(start + count)], Labels = Labels[start..(start + count)] };
}

/// <summary>One row as ML.NET sees it; the vector's size is set per data set by <see cref="TabularData.Load"/>.</summary>
public sealed class TabularRow
{
    public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

/// <summary>The data sets of the missing-value tests, the random removal of values, and the imputation error.</summary>
internal static class TabularData
{
    /// <summary>
    /// Known low-dimensional structure: z ~ N(0, I₃); 20 continuous columns x = W z + 0.3 ε (unit variance each),
    /// 2 binary columns ~ Bernoulli(σ(2 aᵀz)), one categorical of 4 classes ~ softmax(2 B z) one-hot, and the label
    /// 1[vᵀz + 0.5 ε &gt; 0]. Slots: 0–19 Gaussian, 20 and 21 Bernoulli, 22–25 categorical.
    /// </summary>
    public static TabularSet Structured(int rows, int seed)
    {
        const int latent = 3, continuous = 20, binary = 2, classes = 4;
        var weights = new Random(1234);  // the structure is fixed; the rows vary with seed
        double[][] w = Matrix(weights, continuous, latent, 1 / Math.Sqrt(latent) * Math.Sqrt(1 - 0.09));
        double[][] a = Matrix(weights, binary, latent, 2 / Math.Sqrt(latent));
        double[][] b = Matrix(weights, classes, latent, 2 / Math.Sqrt(latent));
        double[] v = Matrix(weights, 1, latent, 1)[0];
        var random = new Random(seed);
        var features = new float[rows][];
        var labels = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            double[] z = [.. Enumerable.Range(0, latent).Select(_ => Normal(random))];
            var row = new float[continuous + binary + classes];
            for (int j = 0; j < continuous; j++) row[j] = (float)(Dot(w[j], z) + 0.3 * Normal(random));
            for (int j = 0; j < binary; j++) row[continuous + j] = random.NextDouble() < 1 / (1 + Math.Exp(-Dot(a[j], z))) ? 1 : 0;
            double[] logits = [.. b.Select(bk => Dot(bk, z))];
            double max = logits.Max(), total = logits.Sum(l => Math.Exp(l - max)), u = random.NextDouble() * total;
            int k = 0;
            for (double cumulative = Math.Exp(logits[0] - max); cumulative < u && k < classes - 1; cumulative += Math.Exp(logits[++k] - max)) { }
            row[continuous + binary + k] = 1;
            features[r] = row;
            labels[r] = Dot(v, z) + 0.5 * Normal(random) > 0;
        }
        return new TabularSet(features, labels,
            [new(continuous, 1, VaeSlotKind.Bernoulli), new(continuous + 1, 1, VaeSlotKind.Bernoulli), new(continuous + binary, classes, VaeSlotKind.Categorical)]);
    }

    /// <summary>
    /// The Breast Cancer Wisconsin data (569 rows, 30 correlated measurements; see Integration/Tabular/Data/README.md), each
    /// column log-transformed (they are positive and skewed) and standardized, rows in a fixed shuffled order.
    /// Label: benign.
    /// </summary>
    public static TabularSet BreastCancer()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Integration", "Tabular", "Data", "breast_cancer.csv");
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var values = lines.Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        new Random(7).Shuffle(values);
        int d = values[0].Length - 1;
        var columns = Enumerable.Range(0, d).Select(j => values.Select(r => Math.Log(r[j] + 1e-3)).ToArray()).ToArray();
        var features = values.Select(_ => new float[d]).ToArray();
        for (int j = 0; j < d; j++)
        {
            double mean = columns[j].Average(), std = Math.Sqrt(columns[j].Average(x => (x - mean) * (x - mean)));
            for (int r = 0; r < values.Length; r++) features[r][j] = (float)((columns[j][r] - mean) / std);
        }
        return new TabularSet(features, [.. values.Select(r => r[d] == 1)], []);
    }

    /// <summary>
    /// A copy with each value replaced by NaN with probability <paramref name="fraction"/>, independently (missing
    /// completely at random); a categorical group goes missing as a whole.
    /// </summary>
    public static float[][] RemoveAtRandom(TabularSet data, double fraction, int seed)
    {
        var random = new Random(seed);
        var groups = data.Slots.Where(s => s.Kind == VaeSlotKind.Categorical).ToArray();
        return data.Features.Select(row =>
        {
            var copy = (float[])row.Clone();
            for (int j = 0; j < copy.Length; j++)
            {
                var group = groups.FirstOrDefault(g => j >= g.Start && j < g.Start + g.Length);
                if (group is not null && j != group.Start) continue;
                if (random.NextDouble() >= fraction) continue;
                for (int k = j; k < (group is null ? j + 1 : group.Start + group.Length); k++) copy[k] = float.NaN;
            }
            return copy;
        }).ToArray();
    }

    /// <summary>The root mean square error of <paramref name="imputed"/> against <paramref name="truth"/> over the slots NaN in <paramref name="masked"/> (optionally only slots in [from, to)).</summary>
    public static double Rmse(float[][] truth, float[][] masked, float[][] imputed, int from = 0, int to = int.MaxValue)
    {
        double sum = 0;
        long count = 0;
        for (int r = 0; r < truth.Length; r++)
            for (int j = from; j < Math.Min(to, truth[r].Length); j++)
                if (float.IsNaN(masked[r][j]))
                {
                    double e = imputed[r][j] - truth[r][j];
                    sum += e * e;
                    count++;
                }
        return Math.Sqrt(sum / count);
    }

    /// <summary>The rows as a view with a Features vector of their size and the label.</summary>
    public static IDataView Load(MLContext ml, float[][] features, bool[] labels)
    {
        var schema = SchemaDefinition.Create(typeof(TabularRow));
        schema[nameof(TabularRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        return ml.Data.LoadFromEnumerable(features.Select((f, i) => new TabularRow { Features = f, Label = labels[i] }), schema);
    }

    /// <summary>A float-vector column of a view, row by row.</summary>
    public static float[][] Column(IDataView view, string name) =>
        [.. view.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray())];

    /// <summary>The input where it is observed, the VAE's reconstruction where it is NaN.</summary>
    public static float[][] Fill(float[][] masked, float[][] reconstruction) =>
        [.. masked.Select((row, r) => row.Select((v, j) => float.IsNaN(v) ? reconstruction[r][j] : v).ToArray())];

    private static double[][] Matrix(Random random, int rows, int columns, double scale) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => Normal(random) * scale).ToArray())];

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
