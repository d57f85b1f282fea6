using Vae.MLNet.Backend;
using TorchSharp;
using Vae.MLNet.Training;
using static TorchSharp.torch;

namespace Vae.MLNet.Autoencoder;

/// <summary>One batch's differentiable loss and its terms summed over the batch's rows (for the history).</summary>
internal readonly record struct AutoencoderBatchLoss(Tensor Loss, double LossSum, double ReconstructionSum, double SparsitySum, double ContractiveSum);

/// <summary>
/// The autoencoder's training loss: the mean over rows of reconstruction(x, g(f(x̃))) + λ_s Ω(h) + λ_c ‖∂h/∂x̃‖²_F,
/// where x̃ is x corrupted for denoising training (x itself otherwise) and h = f(x̃).
/// </summary>
internal sealed class AutoencoderObjective
{
    private readonly AutoencoderNetwork _network;
    private readonly AutoencoderOptions _options;

    public AutoencoderObjective(AutoencoderNetwork network, AutoencoderOptions options)
    {
        _network = network;
        _options = options;
    }

    public AutoencoderBatchLoss Compute(Tensor x)
    {
        using var corrupted = InputCorruption.Apply(x, (VaeInputCorruption)_options.Corruption, _options.CorruptionLevel);
        bool contractive = _options.ContractiveWeight > 0;
        var (code, jacobian) = _network.Encode(corrupted, contractive);
        var reconstruction = ReconstructionPerRow(_network.Decode(code), x, _network.Spec.Likelihood);
        long rows = x.size(0);
        var loss = reconstruction.mean();
        double sparsitySum = 0, contractiveSum = 0;
        if (_options.Sparsity != AutoencoderSparsity.None)
        {
            // L1 is a per-row penalty; the KL to ρ compares the batch's mean activations, once per batch.
            var sparsity = _options.Sparsity == AutoencoderSparsity.L1 ? L1PerRow(code).mean() : KlToTarget(code, _options.SparsityTarget);
            using var sparsityWeight = _options.SparsityWeight.ToScalar();
            loss = loss.Plus(sparsity * sparsityWeight);
            sparsitySum = sparsity.ToDouble() * rows;
        }
        if (jacobian is not null)
        {
            using var contractiveWeight = _options.ContractiveWeight.ToScalar();
            loss = loss.Plus(jacobian.mean() * contractiveWeight);
            contractiveSum = jacobian.sum().ToDouble();
        }
        double reconstructionSum = reconstruction.sum().ToDouble();
        return new AutoencoderBatchLoss(loss, reconstructionSum + _options.SparsityWeight * sparsitySum + _options.ContractiveWeight * contractiveSum,
            reconstructionSum, sparsitySum, contractiveSum);
    }

    /// <summary>Σᵢ (xᵢ − x̂ᵢ)² (Gaussian) or Σᵢ BCE(logitᵢ, xᵢ) (Bernoulli), one value per row.</summary>
    internal static Tensor ReconstructionPerRow(Tensor output, Tensor x, VaeLikelihood likelihood) =>
        likelihood == VaeLikelihood.Bernoulli
            ? nn.functional.binary_cross_entropy_with_logits(output, x, reduction: nn.Reduction.None).sum([1])
            : (output - x).Squared().sum([1]);

    /// <summary>Σⱼ |hⱼ| per row.</summary>
    internal static Tensor L1PerRow(Tensor code) => code.abs().sum([1]);

    /// <summary>Σⱼ KL(ρ ‖ ρ̂ⱼ) with ρ̂ⱼ the batch mean of hⱼ ∈ (0, 1), kept inside [1e-6, 1 − 1e-6] so the logarithms stay finite.</summary>
    internal static Tensor KlToTarget(Tensor code, double rho)
    {
        using var scope = NewDisposeScope();
        using var low = 1e-6.ToScalar();
        using var high = (1 - 1e-6).ToScalar();
        using var target = rho.ToScalar();
        using var complement = (1 - rho).ToScalar();
        using var logTarget = Math.Log(rho).ToScalar();
        using var logComplement = Math.Log(1 - rho).ToScalar();
        var mean = code.mean([0]).clamp(low, high);
        // ρ (log ρ − log ρ̂) + (1 − ρ) (log (1 − ρ) − log (1 − ρ̂)), each constant a Scalar the scope outlives.
        var onTarget = mean.log().neg().Plus(logTarget) * target;
        var offTarget = mean.neg().Plus(Scalars.One).log().neg().Plus(logComplement) * complement;
        return onTarget.Plus(offTarget).sum().MoveToOuterDisposeScope();
    }
}
