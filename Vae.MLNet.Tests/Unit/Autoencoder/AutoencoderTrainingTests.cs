using Microsoft.ML;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Autoencoder;

/// <summary>
/// What the autoencoder gains from the shared training loop: a validation split with early stopping that keeps the best
/// weights (its history records the validation loss), checkpoints that resume to the uninterrupted run's weights, the
/// VAE's refusals for bad combinations, and the VAE-named 0.2.0 members kept as obsolete aliases.
/// </summary>
[TestClass]
public sealed class AutoencoderTrainingTests
{
    private static float[][] Rows => AutoencoderData.Data.Value.Features[..200];

    private static IDataView View(MLContext ml) => AutoencoderData.View(ml, Rows);

    private static AutoencoderOptions Options(Action<AutoencoderOptions>? change = null) =>
        AutoencoderData.Options(o => { o.Epochs = 4; o.TrainingThreads = 1; change?.Invoke(o); });

    private static AutoencoderTransformer Fit(AutoencoderOptions options) => new MLContext(seed: 1).Transforms.AutoencoderEncode(options).Fit(View(new MLContext(seed: 1)));

    private static float[][] Codes(AutoencoderTransformer model) => Rows[..10].Select(model.Encode).ToArray();

    private static void AssertSame(float[][] expected, float[][] actual, string because)
    {
        for (int row = 0; row < expected.Length; row++) CollectionAssert.AreEqual(expected[row], actual[row], $"row {row}: {because}");
    }

    [TestMethod]
    public void EarlyStoppingStopsAfterThePatienceAndKeepsTheBestEpochsWeights()
    {
        // A learning rate this high makes the validation loss wander, so a patience of 2 stops the 30 epochs early.
        Action<AutoencoderOptions> validated = o => { o.ValidationFraction = 0.3; o.LearningRate = 0.05; };
        using var stopped = Fit(Options(o => { validated(o); o.Epochs = 30; o.EarlyStoppingPatience = 2; }));
        var history = stopped.TrainingHistory;
        foreach (var epoch in history) Console.WriteLine(epoch);
        Assert.IsTrue(history.All(h => h.ValidationLoss is double v && double.IsFinite(v)), "every epoch records its validation loss");
        Assert.IsLessThan(30, history.Count, "stopped early");
        int best = history.MinBy(h => h.ValidationLoss!.Value)!.Epoch;
        Assert.AreEqual(history.Count - 2, best, "stopped two epochs without improvement after the best");

        // The same run for the best epoch's count of epochs ends with the best epoch's weights.
        using var toBest = Fit(Options(o => { validated(o); o.Epochs = best; }));
        CollectionAssert.AreEqual(history.Take(best).Select(h => h.ValidationLoss).ToArray(), toBest.TrainingHistory.Select(h => h.ValidationLoss).ToArray());
        AssertSame(Codes(toBest), Codes(stopped), "the early-stopped model keeps the best epoch's weights");
    }

    [TestMethod]
    public void WithoutAValidationSplitTheHistoryHasNoValidationLoss()
    {
        using var model = Fit(Options(o => o.Epochs = 2));
        Assert.IsTrue(model.TrainingHistory.All(h => h.ValidationLoss is null));
        Assert.DoesNotContain("validation", model.TrainingHistory[0].ToString());
    }

    [TestMethod]
    public void TheValidationLossIsSavedWithTheModelAndAModelWithoutOneIsSavedAsBefore()
    {
        var ml = new MLContext(seed: 1);
        var view = View(ml);
        using var validated = Fit(Options(o => { o.Epochs = 2; o.ValidationFraction = 0.3; }));
        using var plain = Fit(Options(o => o.Epochs = 2));
        byte[] Save(ITransformer model)
        {
            using var stream = new MemoryStream();
            ml.Model.Save(model, view.Schema, stream);
            return stream.ToArray();
        }
        byte[] validatedZip = Save(validated), plainZip = Save(plain);
        string Settings(byte[] zip) => System.Text.Encoding.UTF8.GetString(ModelZip.Entries(zip).Single(e => e.Name.EndsWith("Autoencoder.json", StringComparison.Ordinal)).Bytes);
        Assert.DoesNotContain("ValidationLoss", Settings(plainZip), "no new member in the file of a model trained without validation");
        StringAssert.Contains(Settings(validatedZip), "ValidationLoss");
        using var stream = new MemoryStream(validatedZip);
        var loaded = (AutoencoderTransformer)ml.Model.Load(stream, out _);
        CollectionAssert.AreEqual(validated.TrainingHistory.Select(h => h.ValidationLoss).ToArray(), loaded.TrainingHistory.Select(h => h.ValidationLoss).ToArray());
        loaded.Dispose();
    }

    [TestMethod]
    public void AnInterruptedFitResumesFromItsCheckpointToTheUninterruptedWeights()
    {
        using var uninterrupted = Fit(Options());
        string path = Path.Combine(Path.GetTempPath(), $"autoencoder-{Guid.NewGuid():N}.checkpoint");
        try
        {
            using (var cancellation = new CancellationTokenSource())
            {
                var interrupted = Options(o =>
                {
                    o.CheckpointPath = path;
                    o.CancellationToken = cancellation.Token;
                    o.Progress = new Reporter(m => { if (m.Epoch == 2) cancellation.Cancel(); });
                });
                Assert.ThrowsExactly<OperationCanceledException>(() => Fit(interrupted));
            }
            Assert.IsTrue(File.Exists(path), "a checkpoint after epoch 2");
            var epochs = new List<int>();
            using var resumed = Fit(Options(o => { o.CheckpointPath = path; o.Progress = new Reporter(m => epochs.Add(m.Epoch)); }));
            CollectionAssert.AreEqual(new[] { 3, 4 }, epochs, "only the epochs after the checkpoint are trained");
            CollectionAssert.AreEqual(uninterrupted.TrainingHistory.Select(h => h.Loss).ToArray(), resumed.TrainingHistory.Select(h => h.Loss).ToArray());
            AssertSame(Codes(uninterrupted), Codes(resumed), "resumed to the uninterrupted weights");

            var other = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(Options(o => { o.CheckpointPath = path; o.LearningRate = 1e-2; })));
            StringAssert.Contains(other.Message, "other settings or data");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void BadTrainingCombinationsAreRefusedAsForTheVae()
    {
        var ml = new MLContext(seed: 1);
        var patience = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.EarlyStoppingPatience = 2)));
        Assert.AreEqual("EarlyStoppingPatience", patience.ParamName);
        StringAssert.Contains(patience.Message, "EarlyStoppingPatience = 2 has no effect with ValidationFraction = 0");
        var frequency = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.CheckpointFrequency = 2)));
        Assert.AreEqual("CheckpointFrequency", frequency.ParamName);
        var fraction = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.ValidationFraction = 1)));
        Assert.AreEqual("ValidationFraction", fraction.ParamName);
        var clip = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.GradientClipNorm = 0)));
        Assert.AreEqual("GradientClipNorm", clip.ParamName);

        // 1e-9 of 200 rows: no row hashes into the validation split; refused before the first epoch.
        var epochs = new List<int>();
        var empty = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(Options(o => { o.ValidationFraction = 1e-9; o.Progress = new Reporter(m => epochs.Add(m.Epoch)); })));
        foreach (string fragment in new[] { "ValidationFraction", "200 rows", "200 training", "0 validation" })
            StringAssert.Contains(empty.Message, fragment);
        Assert.IsEmpty(epochs);
    }

    [TestMethod]
    public void GradientClippingAppliesToTheAutoencoder()
    {
        using var plain = Fit(Options(o => o.Epochs = 1));
        using var clipped = Fit(Options(o => { o.Epochs = 1; o.GradientClipNorm = 1e-3; }));
        Assert.AreNotEqual(plain.TrainingHistory[0].Loss, clipped.TrainingHistory[0].Loss, "a tiny clip norm changes the steps");
    }

    [TestMethod]
    public void TheSharedSettingsKeepEachModelsDefaults()
    {
        Assert.AreEqual(20, new AutoencoderOptions().Epochs);
        Assert.AreEqual(30, new VaeOptions().Epochs);
        foreach (NeuralTrainingOptions o in new NeuralTrainingOptions[] { new AutoencoderOptions(), new VaeOptions() })
        {
            Assert.AreEqual(128, o.BatchSize);
            Assert.AreEqual(1e-3, o.LearningRate);
            Assert.AreEqual(0, o.ValidationFraction);
            Assert.AreEqual(5, o.EarlyStoppingPatience);
            Assert.AreEqual(1, o.CheckpointFrequency);
            Assert.IsNull(o.GradientClipNorm);
            Assert.IsNull(o.CheckpointPath);
            Assert.AreEqual(0, o.TrainingThreads);
        }
    }

#pragma warning disable CS0618 // the obsolete 0.2.0 members are what these tests exercise
    [TestMethod]
    public void TheObsoleteLikelihoodSetsTheReconstructionLoss()
    {
        var old = Options(o => o.Likelihood = VaeLikelihood.Bernoulli);
        Assert.AreEqual(ReconstructionLoss.BinaryCrossEntropy, old.ReconstructionLoss);
        Assert.AreEqual(VaeLikelihood.Gaussian, Options(o => o.ReconstructionLoss = ReconstructionLoss.SquaredError).Likelihood);
        var ml = new MLContext(seed: 1);
        // Binary cross-entropy needs values in [0, 1]: min-max normalized rows.
        var view = ml.Transforms.NormalizeMinMax("Features", fixZero: false).Fit(View(ml)).Transform(View(ml));
        using var byOldName = ml.Transforms.AutoencoderEncode(old).Fit(view);
        using var byNewName = ml.Transforms.AutoencoderEncode(Options(o => o.ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy)).Fit(view);
        Assert.AreEqual(ReconstructionLoss.BinaryCrossEntropy, byOldName.ReconstructionLoss);
        Assert.AreEqual(VaeLikelihood.Bernoulli, byOldName.Likelihood);
        CollectionAssert.AreEqual(byNewName.TrainingHistory.Select(h => h.Loss).ToArray(), byOldName.TrainingHistory.Select(h => h.Loss).ToArray());
        var undefined = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.Likelihood = (VaeLikelihood)7)));
        Assert.AreEqual("ReconstructionLoss", undefined.ParamName);
    }

    [TestMethod]
    public void TheObsoleteInputCorruptionSetsTheCorruption()
    {
        var old = Options(o => { o.InputCorruption = VaeInputCorruption.Masking; o.Epochs = 2; });
        Assert.AreEqual(CorruptionKind.Masking, old.Corruption);
        Assert.AreEqual(VaeInputCorruption.Gaussian, Options(o => o.Corruption = CorruptionKind.Gaussian).InputCorruption);
        using var byOldName = Fit(old);
        using var byNewName = Fit(Options(o => { o.Corruption = CorruptionKind.Masking; o.Epochs = 2; }));
        using var clean = Fit(Options(o => o.Epochs = 2));
        AssertSame(Codes(byNewName), Codes(byOldName), "the same denoising training");
        CollectionAssert.AreNotEqual(Codes(clean)[0], Codes(byOldName)[0], "the corruption took effect");
        var refused = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().Transforms.AutoencoderEncode(Options(o => { o.InputCorruption = VaeInputCorruption.Gaussian; o.CorruptionLevel = 0; })));
        Assert.AreEqual("Corruption", refused.ParamName);
    }
#pragma warning restore CS0618

    private sealed class Reporter(Action<AutoencoderEpochMetrics> report) : IProgress<AutoencoderEpochMetrics>
    {
        public void Report(AutoencoderEpochMetrics value) => report(value);
    }
}
