using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Autoencoder;

/// <summary>
/// Each regularizer does what the notes say it does, against the plain autoencoder trained with the same seed on the
/// same data: L1 shrinks the code, KL-to-ρ brings the mean activation to ρ, the contractive penalty shrinks the
/// encoder's Jacobian, and denoising training reconstructs corrupted inputs closer to their clean originals.
/// </summary>
[TestClass]
public sealed class AutoencoderRegularizerTests
{
    private static AutoencoderTransformer Fit(Action<AutoencoderOptions> change)
    {
        var ml = new MLContext(seed: 1);
        return ml.Transforms.AutoencoderEncode(AutoencoderData.Options(o => { o.LatentDimension = 8; change(o); })).Fit(AutoencoderData.View(ml));
    }

    private static float[][] Codes(AutoencoderTransformer model) => [.. AutoencoderData.Data.Value.Features.Select(model.Encode)];

    [TestMethod]
    public void L1ShrinksTheCode()
    {
        using var plain = Fit(_ => { });
        using var sparse = Fit(o => { o.Sparsity = AutoencoderSparsity.L1; o.SparsityWeight = 0.3; });
        double plainL1 = Codes(plain).Average(c => c.Sum(Math.Abs)), sparseL1 = Codes(sparse).Average(c => c.Sum(Math.Abs));
        Console.WriteLine($"mean Σ|h|: plain {plainL1:F3}, L1 {sparseL1:F3}; history sparsity {sparse.TrainingHistory[^1].SparsityPenalty:F3}");
        Assert.IsLessThan(0.5 * plainL1, sparseL1);
        Assert.AreEqual(sparseL1, sparse.TrainingHistory[^1].SparsityPenalty, 0.25 * sparseL1, "the history reports the unweighted penalty");
    }

    [TestMethod]
    public void KlToTargetBringsTheMeanActivationToRho()
    {
        using var plain = Fit(o => o.LatentActivation = AutoencoderLatentActivation.Sigmoid);
        using var sparse = Fit(o => { o.LatentActivation = AutoencoderLatentActivation.Sigmoid; o.Epochs = 40; o.Sparsity = AutoencoderSparsity.KlToTarget; o.SparsityWeight = 5; o.SparsityTarget = 0.1; });
        double MeanActivation(AutoencoderTransformer m) => Codes(m).Average(c => c.Average());
        double plainMean = MeanActivation(plain), sparseMean = MeanActivation(sparse);
        Console.WriteLine($"mean activation: plain {plainMean:F3}, KL to 0.1 {sparseMean:F3}");
        Assert.AreEqual(0.1, sparseMean, 0.04);
        Assert.IsGreaterThan(0.25, plainMean);
        Assert.IsTrue(Codes(sparse).All(c => c.All(v => v > 0 && v < 1)));
    }

    [TestMethod]
    public void TheContractivePenaltyShrinksTheEncodersJacobian()
    {
        using var plain = Fit(_ => { });
        using var contractive = Fit(o => o.ContractiveWeight = 0.5);
        double JacobianNorm(AutoencoderTransformer m)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(AutoencoderData.Data.Value.Features.SelectMany(r => r).ToArray(), [AutoencoderData.Data.Value.Features.Length, 26]);
            return m.Network.Encode(x, withJacobian: true).JacobianNormSquared!.mean().ToDouble();
        }
        double plainNorm = JacobianNorm(plain), contractiveNorm = JacobianNorm(contractive);
        Console.WriteLine($"mean ‖∂h/∂x‖²_F: plain {plainNorm:F3}, contractive {contractiveNorm:F3}; history {contractive.TrainingHistory[^1]}");
        Assert.IsLessThan(0.5 * plainNorm, contractiveNorm);
        Assert.IsGreaterThan(0, contractive.TrainingHistory[^1].ContractivePenalty);
    }

    [TestMethod]
    public void DenoisingTrainingReconstructsCorruptedInputsCloserToTheClean()
    {
        using var plain = Fit(o => o.Epochs = 30);
        using var denoising = Fit(o => { o.Epochs = 30; o.Corruption = CorruptionKind.Masking; o.CorruptionLevel = 0.3; });
        var random = new Random(5);
        var clean = AutoencoderData.Data.Value.Features;
        var corrupted = clean.Select(r => r.Select(v => random.NextDouble() < 0.3 ? 0f : v).ToArray()).ToArray();
        double Error(AutoencoderTransformer m) => corrupted.Select((c, i) => m.Reconstruct(c).Zip(clean[i], (a, b) => (double)(a - b) * (a - b)).Sum()).Average();
        double plainError = Error(plain), denoisingError = Error(denoising);
        Console.WriteLine($"squared error against the clean rows, 30% of values zeroed: plain {plainError:F3}, denoising {denoisingError:F3}");
        Assert.IsLessThan(0.85 * plainError, denoisingError);
    }
}
