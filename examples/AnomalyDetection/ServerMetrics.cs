using System.Globalization;
using System.Text;

namespace Vae.MLNet.Examples;

/// <summary>
/// Generates the example's data: one row per server per minute, 12 metrics driven by 3 hidden factors (traffic,
/// batch jobs, cache warmth) through a mildly non-linear map plus noise. A few rows are anomalies of two kinds:
/// "pattern" rows whose metrics are each plausible but do not fit together, and "sensor" rows with one metric broken.
/// </summary>
public static class ServerMetrics
{
    /// <summary>The metric names, the CSV's feature columns.</summary>
    public static readonly string[] FeatureNames =
    [
        "CpuUser", "CpuSystem", "MemoryUsedGb", "DiskReadMbs", "DiskWriteMbs", "NetworkInMbs",
        "NetworkOutMbs", "RequestsPerSec", "LatencyP50Ms", "LatencyP99Ms", "CacheHitRate", "QueueLength",
    ];

    /// <summary>The 0/1 label column: 1 marks an anomaly.</summary>
    public const string LabelColumn = "Label";

    /// <summary>A text column naming the kind of row (normal, pattern or sensor); the example shows it but does not learn from it.</summary>
    public const string KindColumn = "Kind";

    private const int Factors = 3;
    private const double NoiseLevel = 0.15;

    /// <summary>
    /// Writes <paramref name="rows"/> rows with a share <paramref name="anomalyFraction"/> of anomalies (half of each
    /// kind) to the CSV file <paramref name="path"/>: a header, the metrics, Label and Kind.
    /// </summary>
    public static void WriteCsv(string path, int rows, double anomalyFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (!(anomalyFraction >= 0 && anomalyFraction < 1)) throw new ArgumentOutOfRangeException(nameof(anomalyFraction), anomalyFraction, "anomalyFraction must be in [0, 1).");
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        int d = FeatureNames.Length;
        // Each metric: a linear and a saturating (tanh) response to the factors, then its own offset and scale, so
        // the raw columns have very different ranges, as real metrics do.
        var linear = new double[d, Factors];
        var bent = new double[d, Factors];
        var offset = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            for (int f = 0; f < Factors; f++)
            {
                linear[j, f] = Normal() / Math.Sqrt(Factors);
                bent[j, f] = Normal();
            }
            scale[j] = Math.Exp(random.NextDouble() * 5 - 1);
            offset[j] = scale[j] * (3 + 2 * random.NextDouble());
        }

        var text = new StringBuilder();
        text.AppendLine(string.Join(',', FeatureNames.Append(LabelColumn).Append(KindColumn)));
        var u = new double[d];
        for (int row = 0; row < rows; row++)
        {
            var z = new double[Factors];
            for (int f = 0; f < Factors; f++) z[f] = Normal();
            for (int j = 0; j < d; j++)
            {
                double a = 0, b = 0;
                for (int f = 0; f < Factors; f++)
                {
                    a += linear[j, f] * z[f];
                    b += bent[j, f] * z[f];
                }
                u[j] = a + 0.5 * Math.Tanh(b) + NoiseLevel * Normal();
            }
            string kind = "normal";
            double draw = random.NextDouble();
            if (draw < anomalyFraction / 2)
            {
                // Every metric a little off in its own direction: no single value is unusual, their combination is.
                kind = "pattern";
                double strength = 0.2 + 0.4 * random.NextDouble();
                for (int j = 0; j < d; j++) u[j] += strength * Normal();
            }
            else if (draw < anomalyFraction)
            {
                // One metric stuck or spiking, 2 to 5 of its standard deviations away.
                kind = "sensor";
                u[random.Next(d)] += (random.Next(2) == 0 ? -1 : 1) * (2 + 3 * random.NextDouble());
            }
            for (int j = 0; j < d; j++)
                text.Append((offset[j] + scale[j] * u[j]).ToString("G5", CultureInfo.InvariantCulture)).Append(',');
            text.Append(kind == "normal" ? '0' : '1').Append(',').AppendLine(kind);
        }
        File.WriteAllText(path, text.ToString());
    }
}
