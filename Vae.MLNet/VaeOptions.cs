namespace Vae.MLNet;

/// <summary>
/// Settings of <c>mlContext.Transforms.VaeEncode(options)</c>. The defaults suit tabular data normalized to [0, 1]
/// or to zero mean and unit variance; for images in [0, 1] use <see cref="VaeLikelihood.Bernoulli"/>.
/// </summary>
public sealed class VaeOptions
{
    /// <summary>The vector-of-Single column to encode. Default "Features".</summary>
    public string InputColumnName = "Features";

    /// <summary>The output column of latent means μ(x). Default "LatentMean".</summary>
    public string MeanColumnName = "LatentMean";

    /// <summary>The output column of latent log-variances log σ²(x). Default "LatentLogVariance".</summary>
    public string LogVarianceColumnName = "LatentLogVariance";

    /// <summary>The output column of reconstructions (decoded μ: sigmoid of the logits for Bernoulli). Default "Reconstruction".</summary>
    public string ReconstructionColumnName = "Reconstruction";

    /// <summary>
    /// Conditional VAE (Sohn et al. 2015): a key column (one-hot encoded) or a vector-of-Single column fed to both
    /// encoder and decoder, so generation can be steered by it (<see cref="VaeTransformer.SampleClass"/>).
    /// Default null (unconditional).
    /// </summary>
    public string? ConditionColumnName;

    /// <summary>The size of the latent space. Default 16.</summary>
    public int LatentDimension = 16;

    /// <summary>
    /// Hidden layer widths of the MLP encoder (mirrored by the decoder), or the channels of each stride-2 convolution
    /// for the convolutional architecture. Null (the default) means [128] for MLP and [32, 64] for convolutional.
    /// </summary>
    public int[]? HiddenDimensions;

    /// <summary>MLP (default) or convolutional networks.</summary>
    public VaeArchitecture Architecture = VaeArchitecture.Mlp;

    /// <summary>
    /// The image shape {C, H, W} of the input vector (C·H·W must equal the vector size): channel planes, each row by
    /// row, as ML.NET's <c>ExtractPixels</c> writes them by default (<c>interleavePixelColors: false</c>). The
    /// convolutional architecture needs it; null (the default) takes it from the input column's dimensions, which
    /// ExtractPixels records, so <c>LoadImages → ResizeImages → ExtractPixels(scaleImage: 1f / 255) → VaeEncode</c>
    /// needs no shape. Interleaved pixels (H×W×C) are refused with an error naming the column. Each of the n
    /// convolutional <see cref="HiddenDimensions"/> is a 4×4, stride-2, padding-1 convolution that halves the height
    /// and width, so H and W must be at least 2^n (4 × 4 for the default two layers); a smaller image is refused when
    /// the estimator is made (or at Fit, for a shape read from the column). Set with the MLP
    /// architecture, which reads a flat vector, it is refused.
    /// </summary>
    public int[]? ImageShape;

    /// <summary>
    /// Batch normalization after each hidden layer of encoder and decoder (never after the μ and log σ² heads). Default
    /// false. Batch norm cannot estimate a variance from one row: with it, a last mini-batch of one row is trained
    /// together with the batch before it, BatchSize must be at least 2, and a training set of one row is refused.
    /// </summary>
    public bool UseBatchNorm;

    /// <summary>
    /// The decoder's distribution. Default Gaussian (real-valued data). Bernoulli needs inputs in [0, 1] wherever its
    /// likelihood is computed: Fit, Evaluate and the anomaly score (in Transform and PredictionEngine alike) refuse a
    /// value outside it, naming column, row and slot, since a score from it would not be a log-likelihood. The latent
    /// and reconstruction columns take any finite value, so rows NormalizeMinMax leaves slightly outside [0, 1] (it
    /// does not clip rows it was not fitted on) can still be encoded.
    /// </summary>
    public VaeLikelihood Likelihood = VaeLikelihood.Gaussian;

    /// <summary>
    /// What NaN in the input column means. Refuse (default): an error naming the column, row and slot. Mask: a missing
    /// value, allowed in Fit and Transform. It is left out of the reconstruction likelihood (a per-element mask on the
    /// NLL, so no gradient comes from it), the encoder sees 0 in its place and a mask channel beside the input (the MLP
    /// encoder's input width doubles: values, then 1 = observed / 0 = missing), and the Reconstruction column holds the
    /// decoder's mean for every slot, observed or missing: at a missing slot that is the VAE's imputation (to get the
    /// input with its NaNs filled, take the input where it is observed and the reconstruction where it is NaN).
    /// Normalize the input first (0 should be a typical value). MLP only; the managed few-row kernel steps aside (rows
    /// are encoded by the batched torch path) and ONNX export refuses it.
    /// </summary>
    public VaeMissingValues MissingValues = VaeMissingValues.Refuse;

    /// <summary>
    /// Per-slot distributions for tabular data: (start, length, kind) ranges, e.g. Bernoulli for binary columns and
    /// Categorical for a one-hot group (see <see cref="VaeSlotLikelihoods.FromOneHotColumns"/> to find the groups a
    /// Concatenate of OneHotEncoding outputs holds). Slots not listed follow <see cref="Likelihood"/> (which must be
    /// Gaussian for Gaussian ranges). Reconstruction holds each slot's mean: the Gaussian mean, the Bernoulli
    /// probability, the softmax probabilities of a group. Ranges may not overlap or run past the vector. Default null.
    /// </summary>
    public VaeSlotLikelihood[]? SlotLikelihoods;

    /// <summary>Gaussian likelihood only: learn one variance per feature (default true) instead of keeping <see cref="ObservationVariance"/> fixed. Set to false with Likelihood = Bernoulli, it is refused.</summary>
    public bool LearnObservationVariance = true;

    /// <summary>Gaussian likelihood only: the fixed variance of p(x|z), or the starting value of the learned one. Default 0.1; set with Likelihood = Bernoulli, it is refused.</summary>
    public double ObservationVariance = 0.1;

    /// <summary>The weight of the KL term (β-VAE, Higgins et al. 2017). Default 1 (the ELBO).</summary>
    public double Beta = 1;

    /// <summary>Epochs over which the KL weight rises linearly to β (KL warm-up): epoch e trains with β·min(1, e / KlWarmupEpochs). Default 0 (off); 1 (which would be β from the first epoch) and any value with Beta = 0 are refused.</summary>
    public int KlWarmupEpochs;

    /// <summary>
    /// Free bits λ in nats per latent dimension: the trained KL of each dimension is at least λ (Kingma et al. 2016);
    /// with <see cref="InferenceIterations"/>, at each refined posterior. Not with <see cref="FlowSteps"/> or
    /// <see cref="ImportanceWeightedTraining"/>. Default 0 (off); refused with Beta = 0.
    /// </summary>
    public double FreeBits;

    /// <summary>Samples of z drawn per row in each training step (the Monte Carlo average of the ELBO, or the k of the importance-weighted objective). Default 1.</summary>
    public int SamplesPerPoint = 1;

    /// <summary>
    /// Train on the importance-weighted bound over <see cref="SamplesPerPoint"/> samples (IWAE, Burda et al. 2016)
    /// instead of the ELBO; β, free bits and KL warm-up do not apply to it, and it needs SamplesPerPoint ≥ 2 (over one sample the
    /// bound is the ELBO). Default false.
    /// </summary>
    public bool ImportanceWeightedTraining;

    /// <summary>Denoising training: the encoder sees corrupted inputs while the decoder must produce the clean ones; needs CorruptionLevel &gt; 0. Default None.</summary>
    public VaeInputCorruption InputCorruption = VaeInputCorruption.None;

    /// <summary>The corruption's strength: the noise standard deviation (Gaussian) or the probability of zeroing a value (masking). Default 0.1; set without InputCorruption, it is refused.</summary>
    public double CorruptionLevel = 0.1;

    /// <summary>Passes over the training data. Default 30.</summary>
    public int Epochs = 30;

    /// <summary>Rows per mini-batch, 1 to <see cref="MaxBatchSize"/>. Default 128.</summary>
    public int BatchSize = 128;

    /// <summary>The largest <see cref="BatchSize"/> (and AutoencoderOptions.BatchSize): 2^20 rows; a larger batch is refused.</summary>
    public const int MaxBatchSize = 1 << 20;

    /// <summary>Adam's learning rate. Default 1e-3.</summary>
    public double LearningRate = 1e-3;

    /// <summary>The seed of initialization, sampling and shuffling; null falls back to the MLContext's seed (and then to 0).</summary>
    public int? Seed;

    /// <summary>
    /// Fraction of rows held out to compute a validation loss each epoch; with it, training stops early and keeps the
    /// best weights. Default 0 (off). A fraction that leaves the training or the validation split empty is refused
    /// (before training when the view knows its row count, otherwise at the end of the first epoch).
    /// </summary>
    public double ValidationFraction;

    /// <summary>Epochs without a better validation loss before training stops. Default 5; set, it needs ValidationFraction &gt; 0 and a value below Epochs.</summary>
    public int EarlyStoppingPatience = 5;

    /// <summary>The range log σ²(x) is clamped to, keeping σ² away from 0 and infinity. Default (-10, 10).</summary>
    public (double Min, double Max) LogVarianceClamp = (-10, 10);

    /// <summary>Initial bias of the log σ² head (e.g. -4 starts with small posterior variances); null keeps PyTorch's default initialization.</summary>
    public double? LogVarianceInitialBias;

    /// <summary>
    /// Semi-amortized inference (Kim et al. 2018): Adam steps on each row's (μ, log σ²) against the fixed decoder,
    /// from the encoder's output, before the latent columns are written and in Evaluate. Default 0 (off).
    /// </summary>
    public int RefinementSteps;

    /// <summary>The learning rate of the refinement steps. Default 0.01; set without RefinementSteps, it is refused.</summary>
    public double RefinementLearningRate = 0.01;

    /// <summary>
    /// Inverse-autoregressive flow steps (Kingma et al. 2016) on q(z|x) after the Gaussian encoder, trained with
    /// their log-determinant in the ELBO, whose KL term becomes a Monte Carlo estimate. <see cref="MeanColumnName"/>
    /// and <see cref="LogVarianceColumnName"/> still hold the Gaussian's μ and log σ²; the reconstruction decodes
    /// the flow's image of μ; Evaluate, the amortization gap and anomaly scores use the flowed density. The flow
    /// starts as the identity. Not with <see cref="FreeBits"/> (no per-dimension KL) or ONNX export. Default 0 (off).
    /// </summary>
    public int FlowSteps;

    /// <summary>
    /// Iterative amortized inference (Marino et al. 2018): a second network refines the encoder's (μ, log σ²) this many
    /// times from the ELBO's gradient with respect to them, trained end to end on the ELBO after each iteration; the
    /// latent columns hold the refined values. Not with <see cref="ImportanceWeightedTraining"/> or ONNX export; the
    /// managed few-row encoder is bypassed. <see cref="RefinementSteps"/>, when set too, start from the result. Default 0 (off).
    /// </summary>
    public int InferenceIterations;

    /// <summary>
    /// An optional output column (Single) with each row's anomaly score: its negative ELBO, or the negative
    /// importance-weighted bound with <see cref="AnomalyScoreImportanceSamples"/> &gt; 0. Higher is more anomalous.
    /// Default null (no column).
    /// </summary>
    public string? AnomalyScoreColumnName;

    /// <summary>
    /// Importance samples behind the anomaly score; 0 (default) scores by the ELBO. At most 5,000: each row is decoded
    /// once per sample whenever the score is read. Set without
    /// AnomalyScoreColumnName, it is refused.
    /// </summary>
    public int AnomalyScoreImportanceSamples;

    /// <summary>
    /// The threads a Fit computes on; 0 (default) takes libtorch's current intra-op thread count. On most processors
    /// libtorch runs its operations at this count during the Fit. On AMD processors with AVX-512, where the library's
    /// own AVX-512 kernels replace libtorch's products and convolutions, a count of two or more runs libtorch at one
    /// thread and the library's kernels on the Fit's thread and one helper thread (libtorch's spinning OpenMP workers
    /// would fight it); a count of 1 runs everything on the Fit's thread. libtorch's count is set on the Fit's thread and
    /// put back when the Fit ends (overlapping Fits put back the count from before the first of them). Results repeat
    /// for a given seed and thread count.
    /// </summary>
    public int TrainingThreads;

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

    /// <summary>Rescale gradients whose joint L2 norm exceeds this value before each step. Default null (no clipping).</summary>
    public double? GradientClipNorm;

    /// <summary>
    /// A file to write a resumable checkpoint to every <see cref="CheckpointFrequency"/> epochs (atomically). When it
    /// exists at the start of Fit, training resumes from it, with the same result as an uninterrupted run; a checkpoint
    /// written with other settings or on other data (row count, columns, a sample of rows) is refused. Default null.
    /// </summary>
    public string? CheckpointPath;

    /// <summary>Epochs between checkpoints. Default 1; set without CheckpointPath, it is refused.</summary>
    public int CheckpointFrequency = 1;

    /// <summary>Where the network runs: "cpu" (default) or "cuda"/"cuda:N" when libtorch has CUDA.</summary>
    public string Device = "cpu";

    /// <summary>Receives the metrics of each epoch as training goes.</summary>
    public IProgress<VaeEpochMetrics>? Progress;

    /// <summary>Stops Fit within one mini-batch when cancelled.</summary>
    public CancellationToken CancellationToken;

    internal int[] EffectiveHiddenDimensions => HiddenDimensions ?? (Architecture == VaeArchitecture.Convolutional ? [32, 64] : [128]);
}
