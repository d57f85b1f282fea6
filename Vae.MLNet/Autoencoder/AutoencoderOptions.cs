namespace Vae.MLNet;

/// <summary>
/// Settings of a deterministic autoencoder (<c>mlContext.Transforms.AutoencoderEncode</c>): the network, the
/// reconstruction loss, the regularizers of the lecture notes (sparse, contractive, denoising) and the training.
/// </summary>
/// <remarks>
/// The encoder is input → hidden layers (ReLU) → a linear latent layer followed by <see cref="LatentActivation"/>;
/// the decoder mirrors the hidden layers back to the input. The minimized loss per row is
/// reconstruction + <see cref="SparsityWeight"/> · Ω(h) + <see cref="ContractiveWeight"/> · ‖∂h/∂x‖²_F, with h the latent code.
/// </remarks>
public sealed class AutoencoderOptions
{
    /// <summary>The vector column of Single to encode. Default "Features".</summary>
    public string InputColumnName = "Features";

    /// <summary>The output column of latent codes h = f(x). Default "Latent".</summary>
    public string LatentColumnName = "Latent";

    /// <summary>The output column of reconstructions g(f(x)). Default "Reconstruction".</summary>
    public string ReconstructionColumnName = "Reconstruction";

    /// <summary>The size of the code; smaller than the input makes the autoencoder undercomplete. Default 16.</summary>
    public int LatentDimension = 16;

    /// <summary>The widths of the encoder's hidden layers (the decoder mirrors them); empty for a linear encoder. Default [256].</summary>
    public int[] HiddenDimensions = [256];

    /// <summary>The latent layer's activation. Default Identity; Sigmoid keeps codes in (0, 1), which <see cref="AutoencoderSparsity.KlToTarget"/> needs.</summary>
    public AutoencoderLatentActivation LatentActivation = AutoencoderLatentActivation.Identity;

    /// <summary>
    /// The reconstruction loss: Gaussian is the squared error Σᵢ (xᵢ − x̂ᵢ)² and Bernoulli the binary cross-entropy (for
    /// values in [0, 1]; the decoder outputs logits and the reconstruction column shows their sigmoid). Default Gaussian.
    /// </summary>
    public VaeLikelihood Likelihood = VaeLikelihood.Gaussian;

    /// <summary>The sparsity penalty Ω(h) on the latent code; needs SparsityWeight &gt; 0. Default None.</summary>
    public AutoencoderSparsity Sparsity = AutoencoderSparsity.None;

    /// <summary>λ, the weight of the sparsity penalty. Default 1e-3; set without Sparsity, it is refused.</summary>
    public double SparsityWeight = 1e-3;

    /// <summary>ρ, the target mean activation of <see cref="AutoencoderSparsity.KlToTarget"/>, in (0, 1). Default 0.05; set with another Sparsity, it is refused.</summary>
    public double SparsityTarget = 0.05;

    /// <summary>
    /// The weight of the contractive penalty ‖∂h/∂x‖²_F (Rifai et al. 2011), the squared Frobenius norm of the encoder's
    /// Jacobian, computed exactly for every row (not estimated). 0 (the default) turns it off; it costs about
    /// latent × (first hidden width)² multiply-adds per row.
    /// </summary>
    public double ContractiveWeight = 0;

    /// <summary>Denoising training (Vincent et al. 2008): the encoder sees a corrupted input, the loss compares with the clean one; needs CorruptionLevel &gt; 0. Default None.</summary>
    public VaeInputCorruption InputCorruption = VaeInputCorruption.None;

    /// <summary>The corruption's strength: the noise standard deviation (Gaussian) or the probability of zeroing a value (masking). Default 0.3; set without InputCorruption, it is refused.</summary>
    public double CorruptionLevel = 0.3;

    /// <summary>Passes over the training data. Default 20.</summary>
    public int Epochs = 20;

    /// <summary>Rows per Adam step, 1 to <see cref="VaeOptions.MaxBatchSize"/>. Default 128.</summary>
    public int BatchSize = 128;

    /// <summary>Adam's learning rate. Default 1e-3.</summary>
    public double LearningRate = 1e-3;

    /// <summary>The seed of the initial weights, the shuffling and the corruption; null uses the MLContext's seed (or 0).</summary>
    public int? Seed;

    /// <summary>
    /// libtorch's intra-op threads during Fit, set on the Fit's thread and put back when it ends; 0 (default) leaves
    /// libtorch's current count. With <see cref="UseOwnKernels"/> on AMD processors with AVX-512, a count of two or
    /// more runs libtorch at one thread and the library's kernels on the Fit's thread and one helper thread, as the VAE's.
    /// </summary>
    public int TrainingThreads = 0;

    /// <summary>
    /// Whether the Fit and the transformer it returns use the library's own kernels where they are faster than
    /// libtorch's (default true): the managed encoder for few or sparse rows (PredictionEngine, sparse batches), the
    /// fused Adam step, and on AMD processors with AVX-512 its own matrix product and strided convolutions with a helper
    /// thread. False computes everything with libtorch's operations. Outputs agree either way within float32 rounding
    /// (the sums run in another order), not bit for bit. The process can turn the kernels off for every model,
    /// whatever this says: the AppContext switch Vae.MLNet.Kernels.Disable (or Vae.MLNet.Gemm.Disable), or
    /// VAE_MLNET_KERNELS=off (or VAE_MLNET_GEMM=default). A loaded model follows the process's choice.
    /// </summary>
    public bool UseOwnKernels = true;

    /// <summary>Cancels Fit between mini-batches (OperationCanceledException).</summary>
    public CancellationToken CancellationToken;

    /// <summary>Receives each epoch's metrics as it ends.</summary>
    public IProgress<AutoencoderEpochMetrics>? Progress;
}

/// <summary>The activation after the autoencoder's linear latent layer.</summary>
public enum AutoencoderLatentActivation
{
    /// <summary>No activation: codes are unbounded.</summary>
    Identity,
    /// <summary>The logistic sigmoid: codes in (0, 1).</summary>
    Sigmoid,
}

/// <summary>The sparsity penalty Ω(h) on the latent code h.</summary>
public enum AutoencoderSparsity
{
    /// <summary>No penalty.</summary>
    None,
    /// <summary>Σⱼ |hⱼ| per row (the notes' L1 penalty; a Laplace prior on h).</summary>
    L1,
    /// <summary>
    /// Σⱼ KL(ρ ‖ ρ̂ⱼ) = Σⱼ ρ log(ρ/ρ̂ⱼ) + (1−ρ) log((1−ρ)/(1−ρ̂ⱼ)), with ρ̂ⱼ the mean of hⱼ over the mini-batch
    /// (Ng's sparse autoencoder); needs <see cref="AutoencoderLatentActivation.Sigmoid"/>.
    /// </summary>
    KlToTarget,
}

/// <summary>What one autoencoder training epoch achieved; averages per row.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">Reconstruction + the weighted penalties, the minimized objective.</param>
/// <param name="ReconstructionLoss">Squared error (Gaussian) or binary cross-entropy (Bernoulli), summed over the slots.</param>
/// <param name="SparsityPenalty">Ω(h), unweighted (for KlToTarget, per mini-batch, counted once per row of it).</param>
/// <param name="ContractivePenalty">‖∂h/∂x‖²_F, unweighted (0 when <see cref="AutoencoderOptions.ContractiveWeight"/> is 0).</param>
/// <param name="Seconds">Wall-clock time of the epoch.</param>
public sealed record AutoencoderEpochMetrics(int Epoch, double Loss, double ReconstructionLoss, double SparsityPenalty, double ContractivePenalty, double Seconds)
{
    /// <summary>A one-line summary for logs.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"epoch {Epoch}: loss {Loss:F4}, reconstruction {ReconstructionLoss:F4}, sparsity {SparsityPenalty:F4}, contractive {ContractivePenalty:F4}, {Seconds:F2} s");
}
