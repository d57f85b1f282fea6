using Vae.MLNet.OptionChecks;

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
        TrainingOptionsValidation.Validate(o);
        if (o.HiddenDimensions is null || o.HiddenDimensions.Length > AutoencoderNetworkSpec.MaxHiddenLayers || o.HiddenDimensions.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(nameof(o.HiddenDimensions), o.HiddenDimensions is null ? "null" : $"[{string.Join(", ", o.HiddenDimensions)}]",
                $"HiddenDimensions needs at most {AutoencoderNetworkSpec.MaxHiddenLayers} layers (none for a linear encoder), each of positive width.");
        TrainingOptionsValidation.Defined(o.ReconstructionLoss, nameof(o.ReconstructionLoss));
        TrainingOptionsValidation.Defined(o.LatentActivation, nameof(o.LatentActivation));
        TrainingOptionsValidation.Defined(o.Sparsity, nameof(o.Sparsity));
        TrainingOptionsValidation.Defined(o.Corruption, nameof(o.Corruption));
        NonNegativeFinite(o.SparsityWeight, nameof(o.SparsityWeight));
        NonNegativeFinite(o.ContractiveWeight, nameof(o.ContractiveWeight));
        if (!(o.SparsityTarget > 0 && o.SparsityTarget < 1))
            throw new ArgumentOutOfRangeException(nameof(o.SparsityTarget), o.SparsityTarget, "SparsityTarget (ρ) must be in (0, 1).");
        if (o.Sparsity == AutoencoderSparsity.KlToTarget && o.LatentActivation != AutoencoderLatentActivation.Sigmoid)
            throw new ArgumentException("Sparsity = KlToTarget compares mean activations in (0, 1) with ρ: set LatentActivation = Sigmoid with it.", nameof(o.Sparsity));
        if (!(o.CorruptionLevel >= 0) || !double.IsFinite(o.CorruptionLevel) || (o.Corruption == CorruptionKind.Masking && o.CorruptionLevel >= 1))
            throw new ArgumentOutOfRangeException(nameof(o.CorruptionLevel), o.CorruptionLevel, "CorruptionLevel must be a finite non-negative number (below 1 for masking).");
        AutoencoderOptionApplicability.Check(o);
    }

    private static void Positive(int value, string name) => TrainingOptionsValidation.Positive(value, name);

    private static void NonNegativeFinite(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a non-negative finite number.");
    }
}
