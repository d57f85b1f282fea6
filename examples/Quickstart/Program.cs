// Quickstart: learn a 2-D latent representation of 12-dimensional customer data with a VAE, classify customers by
// segment from the latents alone, then save the whole pipeline, load it back and predict one customer.
// The data is generated here (no downloads): each segment is a cluster in a 2-D latent space, seen through a
// random linear map plus noise (x = W z + noise), which is exactly what a VAE is built to undo.
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet;
using Vae.MLNet.Examples;

var ml = new MLContext(seed: 1);
var customers = Customers.Generate(count: 3000, seed: 7);
var data = ml.Data.LoadFromEnumerable(customers);
var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
Console.WriteLine($"Generated {customers.Length} customers with {Customers.FeatureCount} features in 3 segments; 80% train, 20% test.\n");

const int epochs = 40;
var model = EpochProgress.Run("training the VAE", epochs, progress =>
{
    var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Segment")
        .Append(ml.Transforms.NormalizeMeanVariance("Features"))
        .Append(ml.Transforms.VaeEncode(new VaeOptions
        {
            InputColumnName = "Features", LatentDimension = 2, HiddenDimensions = [32], Epochs = epochs, BatchSize = 64,
            LearningRate = 3e-3, Progress = progress,
        }))
        .AppendCacheCheckpoint(ml)
        .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "LatentMean"))
        .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedSegment", "PredictedLabel"));
    return pipeline.Fit(split.TrainSet);
});

var vae = model.OfType<VaeTransformer>().Single();
var testPredictions = model.Transform(split.TestSet);
// The output still holds the normalized "Features" the VAE read, so the VAE can be evaluated on it directly.
var elbo = vae.Evaluate(testPredictions);
Console.WriteLine($"\nThe VAE compresses {Customers.FeatureCount} features into {vae.LatentDimension} latent dimensions.");
Console.WriteLine($"On the test customers its ELBO is {elbo.Elbo:F2} nats per customer (reconstruction {elbo.ReconstructionLoss:F2}, KL {elbo.KlDivergence:F2}), with {elbo.ActiveUnits} active latent units.");

var metrics = ml.MulticlassClassification.Evaluate(testPredictions);
Console.WriteLine($"A logistic regression on the 2 latent means alone classifies the test customers with accuracy {metrics.MicroAccuracy:P1}.");
Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

string path = Path.Combine(Path.GetTempPath(), "vae-quickstart-model.zip");
ml.Model.Save(model, data.Schema, path);
Console.WriteLine($"Saved the whole pipeline (normalizer, VAE weights, classifier) to {path} ({new FileInfo(path).Length / 1024} KB).");

var loadedContext = new MLContext();
var loaded = loadedContext.Model.Load(path, out _);
var engine = loadedContext.Model.CreatePredictionEngine<Customer, CustomerPrediction>(loaded);
var someone = customers[^1];
var prediction = engine.Predict(someone);
Console.WriteLine($"Loaded it in a fresh MLContext and predicted one customer of segment {someone.Segment}:");
Console.WriteLine($"  latent mean ({string.Join(", ", prediction.LatentMean.Select(v => v.ToString("F2")))}), predicted segment {prediction.PredictedSegment}.");

/// <summary>One customer: 12 behaviour features and the segment that generated them.</summary>
public sealed class Customer
{
    /// <summary>The observed features.</summary>
    [VectorType(Customers.FeatureCount)]
    public float[] Features { get; set; } = [];

    /// <summary>The true segment (A, B or C).</summary>
    public string Segment { get; set; } = "";
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
    /// <summary>The number of observed features.</summary>
    public const int FeatureCount = 12;

    /// <summary>Draws <paramref name="count"/> customers.</summary>
    public static Customer[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var w = new double[FeatureCount, 2];
        for (int i = 0; i < FeatureCount; i++)
            for (int j = 0; j < 2; j++) w[i, j] = Normal();
        (string Name, double X, double Y)[] segments = [("A", 2.5, 0), ("B", -1.25, 2.2), ("C", -1.25, -2.2)];
        return Enumerable.Range(0, count).Select(_ =>
        {
            var s = segments[random.Next(segments.Length)];
            double z0 = s.X + 0.9 * Normal(), z1 = s.Y + 0.9 * Normal();
            var x = new float[FeatureCount];
            for (int i = 0; i < FeatureCount; i++) x[i] = (float)(w[i, 0] * z0 + w[i, 1] * z1 + 0.3 * Normal() + 5);
            return new Customer { Features = x, Segment = s.Name };
        }).ToArray();
    }
}
