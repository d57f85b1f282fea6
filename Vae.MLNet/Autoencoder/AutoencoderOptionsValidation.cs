namespace Vae.MLNet.Autoencoder;

/// <summary>Checks <see cref="AutoencoderOptions"/> before any data is read or memory is allocated.</summary>
internal static class AutoencoderOptionsValidation
{
    /// <exception cref="ArgumentException">An option is out of its range or two options contradict (the message names them).</exception>
    public static void Validate(AutoencoderOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        foreach (var (name, value) in new[] { (nameof(o.InputColumnName), o.InputColumnName), (nameof(o.LatentColumnName), o.LatentColumnName),
                     (nameof(o.ReconstructionColumnName), o.ReconstructionColumnName) })
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must name a column.", name);
        if (o.LatentColumnName == o.ReconstructionColumnName)
            throw new ArgumentException($"LatentColumnName and ReconstructionColumnName must differ (both are '{o.LatentColumnName}').", nameof(o.LatentColumnName));
        Positive(o.LatentDimension, nameof(o.LatentDimension));
        Positive(o.Epochs, nameof(o.Epochs));
        Training.BatchSizeLimit.Validate(o.BatchSize);
        if (o.HiddenDimensions is null || o.HiddenDimensions.Length > AutoencoderNetworkSpec.MaxHiddenLayers || o.HiddenDimensions.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(nameof(o.HiddenDimensions), o.HiddenDimensions is null ? "null" : $"[{string.Join(", ", o.HiddenDimensions)}]",
                $"HiddenDimensions needs at most {AutoencoderNetworkSpec.MaxHiddenLayers} layers (none for a linear encoder), each of positive width.");
        if (!Enum.IsDefined(o.Likelihood)) throw new ArgumentOutOfRangeException(nameof(o.Likelihood), o.Likelihood, "Likelihood is not defined.");
        if (!Enum.IsDefined(o.LatentActivation)) throw new ArgumentOutOfRangeException(nameof(o.LatentActivation), o.LatentActivation, "LatentActivation is not defined.");
        if (!Enum.IsDefined(o.Sparsity)) throw new ArgumentOutOfRangeException(nameof(o.Sparsity), o.Sparsity, "Sparsity is not defined.");
        if (!Enum.IsDefined(o.InputCorruption)) throw new ArgumentOutOfRangeException(nameof(o.InputCorruption), o.InputCorruption, "InputCorruption is not defined.");
        PositiveFinite(o.LearningRate, nameof(o.LearningRate));
        NonNegativeFinite(o.SparsityWeight, nameof(o.SparsityWeight));
        NonNegativeFinite(o.ContractiveWeight, nameof(o.ContractiveWeight));
        if (!(o.SparsityTarget > 0 && o.SparsityTarget < 1))
            throw new ArgumentOutOfRangeException(nameof(o.SparsityTarget), o.SparsityTarget, "SparsityTarget (ρ) must be in (0, 1).");
        if (o.Sparsity == AutoencoderSparsity.KlToTarget && o.LatentActivation != AutoencoderLatentActivation.Sigmoid)
            throw new ArgumentException("Sparsity = KlToTarget compares mean activations in (0, 1) with ρ: set LatentActivation = Sigmoid with it.", nameof(o.Sparsity));
        if (!(o.CorruptionLevel >= 0) || !double.IsFinite(o.CorruptionLevel) || (o.InputCorruption == VaeInputCorruption.Masking && o.CorruptionLevel >= 1))
            throw new ArgumentOutOfRangeException(nameof(o.CorruptionLevel), o.CorruptionLevel, "CorruptionLevel must be a finite non-negative number (below 1 for masking).");
        if (o.TrainingThreads is < 0 or > 256)
            throw new ArgumentOutOfRangeException(nameof(o.TrainingThreads), o.TrainingThreads, "TrainingThreads must be 0 (automatic) or between 1 and 256.");
        AutoencoderOptionApplicability.Check(o);
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }

    private static void PositiveFinite(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");
    }

    private static void NonNegativeFinite(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a non-negative finite number.");
    }
}
