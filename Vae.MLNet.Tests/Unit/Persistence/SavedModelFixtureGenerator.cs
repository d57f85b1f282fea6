using System.Text.Json;
using Microsoft.ML;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Persistence;

/// <summary>
/// Writes the model zips and expected outputs under Unit/Persistence/Fixtures that <see cref="SavedModelCompatibilityTests"/>
/// loads. Run only on purpose, when a deliberate change of the model format or of the outputs makes new fixtures
/// necessary (then say so in the commit: models saved by earlier versions are what the fixtures stand for):
/// <code>
/// VAE_MLNET_WRITE_FIXTURES=1 dotnet test Vae.MLNet.Tests -c Release --filter "FullyQualifiedName~SavedModelFixtureGenerator"
/// </code>
/// It writes into the source folder (Vae.MLNet.Tests/Unit/Persistence/Fixtures), found above the test output. Without the
/// variable it reports Inconclusive, so the default run never rewrites what it checks.
/// </summary>
[TestClass]
public sealed class SavedModelFixtureGenerator
{
    private const string Switch = "VAE_MLNET_WRITE_FIXTURES";

    [TestMethod]
    public void WriteTheSavedModelFixtures()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
            Assert.Inconclusive($"Writes the saved-model fixtures only when {Switch}=1 (see this class's summary).");
        string folder = SourceFolder();
        string writtenBy = Environment.GetEnvironmentVariable("VAE_MLNET_FIXTURE_COMMIT") is { Length: > 0 } commit
            ? $"Vae.MLNet {typeof(VaeTransformer).Assembly.GetName().Version} at commit {commit}"
            : $"Vae.MLNet {typeof(VaeTransformer).Assembly.GetName().Version}";

        var ml = new MLContext(seed: 1);
        var tabular = Rows(count: 64, width: 8, scale: 10, seed: 5);
        var unit = Rows(count: 64, width: 8, scale: 1, seed: 6);
        var images = Rows(count: 64, width: 64, scale: 1, seed: 7);

        Write(folder, "vae-mlp-gaussian-in-chain", writtenBy, ml, tabular,
            "NormalizeMinMax(Features) then VaeEncode: MLP, Gaussian likelihood with learned variance, latent 2, hidden [6], 3 epochs.",
            ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.VaeEncode(new VaeOptions
            {
                LatentDimension = 2, HiddenDimensions = [6], Likelihood = VaeLikelihood.Gaussian, LearnObservationVariance = true, Epochs = 3, BatchSize = 16, Seed = 3,
            })));
        Write(folder, "vae-conditional", writtenBy, ml, unit,
            "MapValueToKey(LabelKey, Label) then VaeEncode conditioned on LabelKey (3 classes): MLP, Gaussian, latent 2, hidden [6], 3 epochs.",
            ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Append(ml.Transforms.VaeEncode(new VaeOptions
            {
                LatentDimension = 2, HiddenDimensions = [6], ConditionColumnName = "LabelKey", Epochs = 3, BatchSize = 16, Seed = 3,
            })));
        Write(folder, "vae-anomaly-score", writtenBy, ml, unit,
            "VaeEncode alone with an AnomalyScore column (negative ELBO from the row-seeded samples): MLP, Gaussian, latent 2, hidden [6], 3 epochs.",
            ml.Transforms.VaeEncode(new VaeOptions
            {
                LatentDimension = 2, HiddenDimensions = [6], AnomalyScoreColumnName = "AnomalyScore", Epochs = 3, BatchSize = 16, Seed = 3,
            }));
        Write(folder, "vae-convolutional", writtenBy, ml, images,
            "VaeEncode, convolutional on 1×8×8 images: channels [2, 3], Bernoulli likelihood, latent 2, 3 epochs.",
            ml.Transforms.VaeEncode(new VaeOptions
            {
                LatentDimension = 2, HiddenDimensions = [2, 3], Architecture = VaeArchitecture.Convolutional, ImageShape = [1, 8, 8],
                Likelihood = VaeLikelihood.Bernoulli, Epochs = 3, BatchSize = 16, Seed = 3,
            }));
        Write(folder, "autoencoder", writtenBy, ml, unit,
            "AutoencoderEncode: hidden [6], latent 2, Gaussian (squared error) reconstruction, 3 epochs.",
            ml.Transforms.AutoencoderEncode(new AutoencoderOptions
            {
                LatentDimension = 2, HiddenDimensions = [6], Epochs = 3, BatchSize = 16, Seed = 3,
            }));
    }

    private static void Write<T>(string folder, string name, string writtenBy, MLContext ml, FixtureRow[] rows, string description, IEstimator<T> estimator)
        where T : class, ITransformer
    {
        var fixture = new SavedModelFixture { Model = name + ".zip", Description = description, WrittenBy = writtenBy, Rows = rows };
        var data = fixture.Data(ml);
        var model = estimator.Fit(data);
        try
        {
            ml.Model.Save(model, data.Schema, Path.Combine(folder, fixture.Model));
            // The expected outputs are those of the first rows only, to keep the file small.
            fixture.Rows = rows.Take(8).ToArray();
            fixture.Outputs = SavedModelFixture.ReadColumns(model.Transform(fixture.Data(ml)));
            File.WriteAllText(Path.Combine(folder, name + ".json"), JsonSerializer.Serialize(fixture, SavedModelFixture.Json));
        }
        finally
        {
            ModelLoadCheck.Dispose(model);
        }
    }

    /// <summary>Rows of three classes whose features lean towards every third slot, in [0, <paramref name="scale"/>].</summary>
    private static FixtureRow[] Rows(int count, int width, double scale, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            int c = i % 3;
            return new FixtureRow
            {
                Label = "abc"[c].ToString(),
                Features = Enumerable.Range(0, width).Select(j => (float)(scale * Math.Clamp((j % 3 == c ? 0.7 : 0.2) + random.NextDouble() * 0.25, 0, 1))).ToArray(),
            };
        }).ToArray();
    }

    private static string SourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string project = Path.Combine(dir.FullName, "Vae.MLNet.Tests");
            if (File.Exists(Path.Combine(project, "Vae.MLNet.Tests.csproj")))
                return Directory.CreateDirectory(Path.Combine(project, "Unit", "Persistence", "Fixtures")).FullName;
        }
        throw new DirectoryNotFoundException($"Vae.MLNet.Tests/Vae.MLNet.Tests.csproj was not found above {AppContext.BaseDirectory}.");
    }
}
