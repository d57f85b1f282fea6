namespace Vae.MLNet.OptionChecks;

/// <summary>
/// The checks of the settings both models train with (<see cref="NeuralTrainingOptions"/>), and the enum check every
/// option of either model goes through: one place, so the VAE and the autoencoder refuse the same values in the same words.
/// </summary>
internal static class TrainingOptionsValidation
{
    /// <exception cref="ArgumentOutOfRangeException">A training setting is out of its range (ParamName is the option).</exception>
    /// <exception cref="ArgumentException">CheckpointPath is blank.</exception>
    public static void Validate(NeuralTrainingOptions o)
    {
        Positive(o.Epochs, nameof(o.Epochs));
        Training.BatchSizeLimit.Validate(o.BatchSize);
        if (!(o.LearningRate > 0) || !double.IsFinite(o.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, "LearningRate must be a positive finite number.");
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), o.ValidationFraction, "ValidationFraction must be in [0, 1).");
        Positive(o.EarlyStoppingPatience, nameof(o.EarlyStoppingPatience));
        Positive(o.CheckpointFrequency, nameof(o.CheckpointFrequency));
        if (o.TrainingThreads is < 0 or > 256)
            throw new ArgumentOutOfRangeException(nameof(o.TrainingThreads), o.TrainingThreads, "TrainingThreads must be 0 (automatic) or between 1 and 256.");
        if (o.GradientClipNorm is double clip && (!(clip > 0) || !double.IsFinite(clip)))
            throw new ArgumentOutOfRangeException(nameof(o.GradientClipNorm), clip, "GradientClipNorm must be a positive finite number or null.");
        if (o.CheckpointPath is { } checkpoint && string.IsNullOrWhiteSpace(checkpoint))
            throw new ArgumentException("CheckpointPath must be a file path or null.", nameof(o.CheckpointPath));
    }

    /// <summary>The applicability rules of the shared settings, a part of each model's table.</summary>
    public static IEnumerable<OptionRule<TOptions>> Rules<TOptions>() where TOptions : NeuralTrainingOptions =>
    [
        new(nameof(NeuralTrainingOptions.EarlyStoppingPatience), [nameof(NeuralTrainingOptions.ValidationFraction)],
            o => o.EarlyStoppingPatience != NeuralTrainingOptions.DefaultEarlyStoppingPatience, o => o.ValidationFraction > 0,
            "early stopping watches the validation loss, and there is no validation split; set ValidationFraction > 0."),
        new(nameof(NeuralTrainingOptions.EarlyStoppingPatience), [nameof(NeuralTrainingOptions.Epochs)],
            o => o.EarlyStoppingPatience != NeuralTrainingOptions.DefaultEarlyStoppingPatience, o => o.EarlyStoppingPatience < o.Epochs,
            "the first epoch always improves the validation loss, so at most Epochs − 1 epochs can pass without improvement and training could never stop early; use a patience below Epochs."),
        new(nameof(NeuralTrainingOptions.CheckpointFrequency), [nameof(NeuralTrainingOptions.CheckpointPath)],
            o => o.CheckpointFrequency != NeuralTrainingOptions.DefaultCheckpointFrequency, o => o.CheckpointPath is not null,
            "no checkpoint is written without a file; set CheckpointPath."),
    ];

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a member of its enum (ParamName is <paramref name="name"/>).</exception>
    public static void Defined<TEnum>(TEnum value, string name) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} is not defined.");
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is below 1.</exception>
    public static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }
}
