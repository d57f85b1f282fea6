using Microsoft.ML;

namespace Vae.MLNet.Tests.Unit.OptionChecks;

/// <summary>
/// The settings both models train with are checked in one place: the VAE and the autoencoder refuse the same bad value
/// with the same exception, ParamName and message, and both refuse an enum value that is not defined (the VAE used to
/// accept one and train with it).
/// </summary>
[TestClass]
public sealed class TrainingOptionsValidationTests
{
    private static readonly Action<NeuralTrainingOptions>[] BadSharedSettings =
    [
        o => o.Epochs = 0, o => o.BatchSize = 0, o => o.BatchSize = VaeOptions.MaxBatchSize + 1, o => o.LearningRate = double.NaN,
        o => o.ValidationFraction = 1, o => o.ValidationFraction = -0.1, o => o.EarlyStoppingPatience = 0, o => o.CheckpointFrequency = 0,
        o => o.TrainingThreads = 257, o => o.GradientClipNorm = double.PositiveInfinity, o => o.CheckpointPath = " ",
    ];

    [TestMethod]
    public void BothModelsRefuseABadSharedSettingInTheSameWords()
    {
        var ml = new MLContext();
        foreach (var set in BadSharedSettings)
        {
            var vae = new VaeOptions();
            var autoencoder = new AutoencoderOptions();
            set(vae);
            set(autoencoder);
            var vaeError = Assert.Throws<ArgumentException>(() => ml.Transforms.VaeEncode(vae));
            var autoencoderError = Assert.Throws<ArgumentException>(() => ml.Transforms.AutoencoderEncode(autoencoder));
            Assert.AreEqual(vaeError.GetType(), autoencoderError.GetType(), vaeError.Message);
            Assert.AreEqual(vaeError.ParamName, autoencoderError.ParamName);
            Assert.AreEqual(vaeError.Message, autoencoderError.Message);
            Assert.IsNotNull(typeof(NeuralTrainingOptions).GetField(vaeError.ParamName!), $"names a shared setting: {vaeError.Message}");
        }
    }

    [TestMethod]
    public void TheVaeRefusesAnUndefinedEnumValueNamingTheOption()
    {
        var ml = new MLContext();
        var cases = new (Action<VaeOptions> Set, string Name)[]
        {
            (o => o.Architecture = (VaeArchitecture)5, nameof(VaeOptions.Architecture)),
            (o => o.Likelihood = (VaeLikelihood)5, nameof(VaeOptions.Likelihood)),
            (o => o.MissingValues = (VaeMissingValues)5, nameof(VaeOptions.MissingValues)),
            (o => { o.InputCorruption = (VaeInputCorruption)5; o.CorruptionLevel = 0.2; }, nameof(VaeOptions.InputCorruption)),
        };
        foreach (var (set, name) in cases)
        {
            var options = new VaeOptions();
            set(options);
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.VaeEncode(options), name);
            Assert.AreEqual(name, e.ParamName);
            StringAssert.Contains(e.Message, $"{name} is not defined.");
        }
    }
}
