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
public sealed class AutoencoderOptions : NeuralTrainingOptions
{
    /// <summary>Options with every default (20 epochs).</summary>
    public AutoencoderOptions() : base(epochs: 20)
    {
    }

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
    /// The reconstruction loss: SquaredError Σᵢ (xᵢ − x̂ᵢ)², or BinaryCrossEntropy (for values in [0, 1]; the decoder
    /// outputs logits and the reconstruction column shows their sigmoid). Default SquaredError.
    /// </summary>
    public ReconstructionLoss ReconstructionLoss = ReconstructionLoss.SquaredError;

    /// <summary>The reconstruction loss under the VAE's name (Gaussian: squared error; Bernoulli: binary cross-entropy).</summary>
    [Obsolete("Use ReconstructionLoss (SquaredError for Gaussian, BinaryCrossEntropy for Bernoulli).")]
    public VaeLikelihood Likelihood
    {
        get => Autoencoder.ReconstructionLosses.ToLikelihood(ReconstructionLoss);
        set => ReconstructionLoss = Autoencoder.ReconstructionLosses.FromLikelihood(value);
    }

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
    public CorruptionKind Corruption = CorruptionKind.None;

    /// <summary>The corruption of denoising training under the VAE's name.</summary>
    [Obsolete("Use Corruption (CorruptionKind has the same values).")]
    public VaeInputCorruption InputCorruption
    {
        get => (VaeInputCorruption)Corruption;
        set => Corruption = (CorruptionKind)value;
    }

    /// <summary>The corruption's strength: the noise standard deviation (Gaussian) or the probability of zeroing a value (masking). Default 0.3; set without Corruption, it is refused.</summary>
    public double CorruptionLevel = 0.3;

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
    /// <summary>
    /// The reconstruction loss (of the clean input, without penalties) per row of the validation split, when there is
    /// one (<see cref="NeuralTrainingOptions.ValidationFraction"/>); early stopping watches it. Null otherwise.
    /// </summary>
    // Left out of the model file when null, so a model trained without validation is saved as before.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? ValidationLoss { get; init; }

    /// <summary>A one-line summary for logs.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"epoch {Epoch}: loss {Loss:F4}, reconstruction {ReconstructionLoss:F4}, sparsity {SparsityPenalty:F4}, contractive {ContractivePenalty:F4}") +
        (ValidationLoss is double v ? FormattableString.Invariant($", validation {v:F4}") : "") +
        FormattableString.Invariant($", {Seconds:F2} s");
}
