namespace Vae.MLNet;

/// <summary>
/// The training settings <see cref="VaeOptions"/> and <see cref="AutoencoderOptions"/> share, meaning the same for
/// both models: epochs, mini-batches, Adam's learning rate, the seed, threads, cancellation, the validation split with
/// early stopping, gradient clipping and checkpoints. Both models train through the same loop, so each setting is
/// checked, refused and applied the same way for both.
/// </summary>
/// <remarks>Only the library's options derive from it.</remarks>
public abstract class NeuralTrainingOptions
{
    /// <summary>The default <see cref="EarlyStoppingPatience"/>.</summary>
    internal const int DefaultEarlyStoppingPatience = 5;

    /// <summary>The default <see cref="CheckpointFrequency"/>.</summary>
    internal const int DefaultCheckpointFrequency = 1;

    /// <param name="epochs">The model's default <see cref="Epochs"/>.</param>
    private protected NeuralTrainingOptions(int epochs)
    {
        Epochs = epochs;
    }

    /// <summary>Passes over the training data. Default 30 for the VAE, 20 for the autoencoder.</summary>
    public int Epochs;

    /// <summary>Rows per mini-batch (one Adam step each), 1 to <see cref="VaeOptions.MaxBatchSize"/>. Default 128.</summary>
    public int BatchSize = 128;

    /// <summary>Adam's learning rate. Default 1e-3.</summary>
    public double LearningRate = 1e-3;

    /// <summary>The seed of initialization, sampling, corruption and shuffling; null falls back to the MLContext's seed (and then to 0).</summary>
    public int? Seed;

    /// <summary>
    /// The threads a Fit computes on; 0 (default) takes libtorch's current intra-op thread count. On most processors
    /// libtorch runs its operations at this count during the Fit. Where the library's own AVX-512 kernels replace
    /// libtorch's products and convolutions (AMD processors with AVX-512, with <see cref="UseOwnKernels"/>), a count of two
    /// or more runs libtorch at one thread and the library's kernels on the Fit's thread and one helper thread
    /// (libtorch's spinning OpenMP workers would fight it); a count of 1 runs everything on the Fit's thread. libtorch's
    /// count is set on the Fit's thread and put back when the Fit ends (overlapping Fits put back the count from before
    /// the first of them). Results repeat for a given seed and thread count.
    /// </summary>
    public int TrainingThreads;

    /// <summary>
    /// Whether the Fit and the transformer it returns use the library's own kernels where they are faster than
    /// libtorch's (default true): the managed encoder for few or sparse rows (PredictionEngine, sparse batches), the
    /// fused Adam step, and on AMD processors with AVX-512 its own matrix product and strided convolutions with a helper
    /// thread. False computes everything with libtorch's operations. Outputs agree either way within float32 rounding
    /// (the sums run in another order), not bit for bit. The process can turn the kernels off for every model,
    /// whatever this says: the AppContext switch Vae.MLNet.Kernels.Disable (or Vae.MLNet.Gemm.Disable), or
    /// VAE_MLNET_KERNELS=off (or VAE_MLNET_GEMM=default). The choice is saved with the model: a loaded model computes as
    /// its Fit chose, unless the process turns the kernels off.
    /// </summary>
    public bool UseOwnKernels = true;

    /// <summary>Stops Fit within one mini-batch when cancelled (OperationCanceledException).</summary>
    public CancellationToken CancellationToken;

    /// <summary>
    /// Fraction of rows held out to compute a validation loss each epoch (recorded in the training history); with it,
    /// training stops early and keeps the best weights. Default 0 (off). A fraction that leaves the training or the
    /// validation split empty is refused (before training when the view knows its row count, otherwise at the end of
    /// the first epoch).
    /// </summary>
    public double ValidationFraction;

    /// <summary>Epochs without a better validation loss before training stops. Default 5; set, it needs ValidationFraction &gt; 0 and a value below Epochs.</summary>
    public int EarlyStoppingPatience = DefaultEarlyStoppingPatience;

    /// <summary>Rescale gradients whose joint L2 norm exceeds this value before each step. Default null (no clipping).</summary>
    public double? GradientClipNorm;

    /// <summary>
    /// A file to write a resumable checkpoint to every <see cref="CheckpointFrequency"/> epochs (atomically). When it
    /// exists at the start of Fit, training resumes from it, with the same result as an uninterrupted run; a checkpoint
    /// written with other settings or on other data (row count, columns, a sample of rows) is refused. Default null.
    /// </summary>
    public string? CheckpointPath;

    /// <summary>Epochs between checkpoints. Default 1; set without CheckpointPath, it is refused.</summary>
    public int CheckpointFrequency = DefaultCheckpointFrequency;

    /// <summary>The seed of a Fit: <see cref="Seed"/>, else the MLContext's, else 0.</summary>
    internal int EffectiveSeed(int? contextSeed) => Seed ?? contextSeed ?? 0;
}
