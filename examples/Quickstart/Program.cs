// Quickstart: the README's pipeline end to end. Writes generated customer data to a CSV file, loads it with ML.NET's
// text loader, learns a 2-D latent representation of the 12 features with a VAE, classifies customers by segment
// from the latents alone (a linear model, then a tree ensemble on the same latents), and saves the whole pipeline,
// loads it back and predicts one customer. The data is generated here (no downloads): each segment is a cluster in
// a 2-D latent space, seen through a random linear map plus noise (x = W z + noise), which is what a VAE undoes.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Vae.MLNet;
using Vae.MLNet.Examples;

var watch = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
string csv = Path.Combine(Path.GetTempPath(), "vae-quickstart-customers.csv");
var customers = Customers.WriteCsv(csv, count: 3000, seed: 7);
IDataView data = ml.Data.LoadFromTextFile<Customer>(csv, separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
Console.WriteLine($"Wrote {customers.Length} generated customers with {Customer.FeatureNames.Length} features in 3 segments to {csv}");
Console.WriteLine("and loaded them with ml.Data.LoadFromTextFile; TrainTestSplit keeps 80% for training, 20% for testing.\n");

const int epochs = 40;
var model = EpochProgress.Run("training the VAE", epochs, progress =>
{
    // Keys by value, so the confusion table lists the segments as A, B, C.
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Customer.Segment), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
        .Append(ml.Transforms.Concatenate("Features", Customer.FeatureNames))
        .Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(ml.Transforms.VaeEncode(new VaeOptions
        {
            InputColumnName = "Features", LatentDimension = 2, HiddenDimensions = [32], Epochs = epochs, BatchSize = 64,
            LearningRate = 3e-3, Seed = 1, Progress = progress,
        }))
        .AppendCacheCheckpoint(ml) // the classifier makes many passes: encode once
        .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "LatentMean"))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedSegment", "PredictedLabel"));
    return pipeline.Fit(split.TrainSet);
});

var vae = model.FindVae();
var testPredictions = model.Transform(split.TestSet);
// The output still holds the normalized "Features" the VAE read, so the VAE can be evaluated on it directly.
var elbo = vae.Evaluate(testPredictions);
Console.WriteLine($"\nThe VAE compresses {Customer.FeatureNames.Length} features into {vae.LatentDimension} latent dimensions.");
Console.WriteLine($"On the test customers its ELBO is {elbo.Elbo:F2} nats per customer (reconstruction {elbo.ReconstructionLoss:F2}, KL {elbo.KlDivergence:F2}), with {elbo.ActiveUnits} active latent units.");

var metrics = ml.MulticlassClassification.Evaluate(testPredictions);
Console.WriteLine($"A logistic regression (LbfgsMaximumEntropy) on the 2 latent means alone classifies the test customers with accuracy {metrics.MicroAccuracy:P1}.");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

// The same latents under a gradient-boosted tree ensemble: trained on the fitted pipeline's output, whose LatentMean
// the VAE has already computed, so the VAE is not trained again. Its Score and PredictedLabel hide the linear model's.
var trees = ml.MulticlassClassification.Trainers.LightGbm(featureColumnName: "LatentMean")
    .Fit(ml.Data.Cache(model.Transform(split.TrainSet)));
var treeMetrics = ml.MulticlassClassification.Evaluate(trees.Transform(testPredictions));
Console.WriteLine($"A LightGBM tree ensemble on the same latent means reaches accuracy {treeMetrics.MicroAccuracy:P1}.\n");

string path = Path.Combine(Path.GetTempPath(), "vae-quickstart-model.zip");
ml.Model.Save(model, data.Schema, path);
Console.WriteLine($"Saved the whole pipeline (key mapping, normalizer, VAE weights, classifier) to {path} ({new FileInfo(path).Length / 1024} KB).");

var loadedContext = new MLContext();
var loaded = loadedContext.Model.Load(path, out _);
var engine = loadedContext.Model.CreatePredictionEngine<Customer, CustomerPrediction>(loaded);
var someone = customers[^1];
var prediction = engine.Predict(someone);
Console.WriteLine($"Loaded it in a fresh MLContext and predicted one customer of segment {someone.Segment}:");
Console.WriteLine($"  latent mean ({string.Join(", ", prediction.LatentMean.Select(v => v.ToString("F2")))}), predicted segment {prediction.PredictedSegment}.");
Console.WriteLine($"Done in {watch.Elapsed.TotalSeconds:F0} s.");

/// <summary>One customer as a row of the CSV file: 12 behaviour features and the segment that generated them.</summary>
public sealed class Customer
{
    /// <summary>The feature columns, in file order.</summary>
    public static readonly string[] FeatureNames =
    [
        nameof(Visits), nameof(Spend), nameof(BasketSize), nameof(Returns), nameof(Discounts), nameof(Tenure),
        nameof(SupportCalls), nameof(AppSessions), nameof(Reviews), nameof(Referrals), nameof(NightOrders), nameof(Categories),
    ];

    /// <summary>Visits per month.</summary>
    [LoadColumn(0)] public float Visits { get; set; }

    /// <summary>Spend per month.</summary>
    [LoadColumn(1)] public float Spend { get; set; }

    /// <summary>Items per basket.</summary>
    [LoadColumn(2)] public float BasketSize { get; set; }

    /// <summary>Returns per month.</summary>
    [LoadColumn(3)] public float Returns { get; set; }

    /// <summary>Discounted share of orders.</summary>
    [LoadColumn(4)] public float Discounts { get; set; }

    /// <summary>Months as a customer.</summary>
    [LoadColumn(5)] public float Tenure { get; set; }

    /// <summary>Support calls per year.</summary>
    [LoadColumn(6)] public float SupportCalls { get; set; }

    /// <summary>App sessions per week.</summary>
    [LoadColumn(7)] public float AppSessions { get; set; }

    /// <summary>Reviews written.</summary>
    [LoadColumn(8)] public float Reviews { get; set; }

    /// <summary>Customers referred.</summary>
    [LoadColumn(9)] public float Referrals { get; set; }

    /// <summary>Orders placed at night.</summary>
    [LoadColumn(10)] public float NightOrders { get; set; }

    /// <summary>Product categories bought.</summary>
    [LoadColumn(11)] public float Categories { get; set; }

    /// <summary>The true segment (A, B or C).</summary>
    [LoadColumn(12)] public string Segment { get; set; } = "";

}

/// <summary>What the loaded pipeline says about a customer.</summary>
public sealed class CustomerPrediction
{
    /// <summary>The VAE's latent mean.</summary>
    public float[] LatentMean { get; set; } = [];

    /// <summary>The classifier's segment.</summary>
    public string PredictedSegment { get; set; } = "";
}

/// <summary>Generates customers from three clusters in a 2-D latent space, seen through x = W z + noise.</summary>
public static class Customers
{
    /// <summary>Draws <paramref name="count"/> customers, writes them to the CSV file <paramref name="path"/> (with a header) and returns them.</summary>
    public static Customer[] WriteCsv(string path, int count, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        int d = Customer.FeatureNames.Length;
        var w = new double[d, 2];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < 2; j++) w[i, j] = Normal();
        (string Name, double X, double Y)[] segments = [("A", 2.5, 0), ("B", -1.25, 2.2), ("C", -1.25, -2.2)];
        var lines = new List<string> { string.Join(',', Customer.FeatureNames.Append(nameof(Customer.Segment))) };
        var customers = new Customer[count];
        for (int n = 0; n < count; n++)
        {
            var s = segments[random.Next(segments.Length)];
            double z0 = s.X + 0.9 * Normal(), z1 = s.Y + 0.9 * Normal();
            // Rounded as a CSV file would hold them, so the rows kept here equal the rows read back.
            var x = new float[d];
            for (int i = 0; i < d; i++) x[i] = (float)Math.Round(w[i, 0] * z0 + w[i, 1] * z1 + 0.3 * Normal() + 5, 4);
            lines.Add(string.Join(',', x.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(s.Name)));
            customers[n] = new Customer
            {
                Visits = x[0], Spend = x[1], BasketSize = x[2], Returns = x[3], Discounts = x[4], Tenure = x[5],
                SupportCalls = x[6], AppSessions = x[7], Reviews = x[8], Referrals = x[9], NightOrders = x[10], Categories = x[11], Segment = s.Name,
            };
        }
        File.WriteAllLines(path, lines);
        return customers;
    }
}
