
using Vae.MLNet.Columns;

namespace Vae.MLNet.OptionChecks;

/// <summary>Checks <see cref="VaeOptions"/> before any data is read or memory is allocated.</summary>
internal static class VaeOptionsValidation
{
    public static void Validate(VaeOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        foreach (var (name, value) in new[] { (nameof(o.InputColumnName), o.InputColumnName), (nameof(o.MeanColumnName), o.MeanColumnName),
                     (nameof(o.LogVarianceColumnName), o.LogVarianceColumnName), (nameof(o.ReconstructionColumnName), o.ReconstructionColumnName) })
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must name a column.", name);
        if (o.AnomalyScoreColumnName is { } score && string.IsNullOrWhiteSpace(score))
            throw new ArgumentException("AnomalyScoreColumnName must name a column or be null.", nameof(o.AnomalyScoreColumnName));
        var outputs = new[] { o.MeanColumnName, o.LogVarianceColumnName, o.ReconstructionColumnName, o.AnomalyScoreColumnName }.OfType<string>().ToArray();
        if (outputs.Distinct().Count() != outputs.Length)
            throw new ArgumentException($"The output columns must differ: {string.Join(", ", outputs)}.", nameof(o.MeanColumnName));
        Positive(o.LatentDimension, nameof(o.LatentDimension));
        TrainingOptionsValidation.Validate(o);
        TrainingOptionsValidation.Defined(o.Architecture, nameof(o.Architecture));
        TrainingOptionsValidation.Defined(o.Likelihood, nameof(o.Likelihood));
        TrainingOptionsValidation.Defined(o.MissingValues, nameof(o.MissingValues));
        TrainingOptionsValidation.Defined(o.InputCorruption, nameof(o.InputCorruption));
        if (o.UseBatchNorm && o.BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize, "UseBatchNorm needs BatchSize of at least 2: batch norm cannot estimate a variance from one row.");
        if (!(o.Beta >= 0) || !double.IsFinite(o.Beta))
            throw new ArgumentOutOfRangeException(nameof(o.Beta), o.Beta, "Beta must be a non-negative finite number.");
        if (!(o.FreeBits >= 0) || !double.IsFinite(o.FreeBits))
            throw new ArgumentOutOfRangeException(nameof(o.FreeBits), o.FreeBits, "FreeBits must be a non-negative finite number.");
        if (o.KlWarmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(o.KlWarmupEpochs), o.KlWarmupEpochs, "KlWarmupEpochs cannot be negative.");
        Positive(o.SamplesPerPoint, nameof(o.SamplesPerPoint));
        if (o.ImportanceWeightedTraining && (o.Beta != 1 || o.FreeBits > 0 || o.KlWarmupEpochs > 0))
            throw new ArgumentException("The importance-weighted objective has no KL term to weight: leave Beta = 1, FreeBits = 0 and KlWarmupEpochs = 0 with ImportanceWeightedTraining.", nameof(o.ImportanceWeightedTraining));
        if (!(o.CorruptionLevel >= 0) || !double.IsFinite(o.CorruptionLevel) || (o.InputCorruption == VaeInputCorruption.Masking && o.CorruptionLevel >= 1))
            throw new ArgumentOutOfRangeException(nameof(o.CorruptionLevel), o.CorruptionLevel, "CorruptionLevel must be a finite non-negative number (below 1 for masking).");
        Inference.VaeInferenceSettings.From(o).Validate();
        AmortizationGapOptions.Validate(o);
        var (min, max) = o.LogVarianceClamp;
        double limit = Networks.VaeNetworkSpecValidation.MaxAbsLogVariance;
        if (!(min < max) || Math.Abs(min) > limit || Math.Abs(max) > limit)
            throw new ArgumentOutOfRangeException(nameof(o.LogVarianceClamp), o.LogVarianceClamp, $"LogVarianceClamp needs Min < Max within ±{limit}.");
        if (!(o.ObservationVariance > 0) || !double.IsFinite(o.ObservationVariance))
            throw new ArgumentOutOfRangeException(nameof(o.ObservationVariance), o.ObservationVariance, "ObservationVariance must be a positive finite number.");
        if (o.HiddenDimensions is { } hidden && (hidden.Length == 0 || hidden.Any(h => h < 1)))
            throw new ArgumentOutOfRangeException(nameof(o.HiddenDimensions), $"[{string.Join(", ", hidden)}]", "HiddenDimensions needs at least one layer, each of positive width.");
        // A convolutional VAE without ImageShape takes it from the input column's dimensions at Fit (ImageColumn.Shape).
        if (o.ImageShape is { } shape && (shape.Length != 3 || shape.Any(s => s < 1)))
            throw new ArgumentException($"ImageShape must be {{C, H, W}} with positive sizes; got {Describe(o.ImageShape)}.", nameof(o.ImageShape));
        if (o.Architecture == VaeArchitecture.Convolutional && o.ImageShape is { } image)
            Networks.VaeNetworkSpecValidation.CheckImageFitsLayers(image, o.EffectiveHiddenDimensions, column: null);
        Networks.Likelihoods.SlotLayoutValidation.Validate(o.MissingValues, o.SlotLikelihoods, o.Architecture, o.Likelihood, inputDimension: null);
        if (o.Device is null || !System.Text.RegularExpressions.Regex.IsMatch(o.Device, @"^(cpu|cuda(:\d{1,3})?)$"))
            throw new ArgumentException($"Device '{o.Device}' is not a device: use \"cpu\", \"cuda\" or \"cuda:N\".", nameof(o.Device));
        VaeOptionApplicability.Check(o);
    }

    /// <summary>The torch device of a validated <see cref="VaeOptions.Device"/>, checked to be present.</summary>
    /// <exception cref="InvalidOperationException">A CUDA device was asked for but libtorch has no CUDA here.</exception>
    public static TorchSharp.torch.Device AvailableDevice(string device)
    {
        if (device.StartsWith("cuda", StringComparison.Ordinal) && !TorchSharp.torch.cuda.is_available())
            throw new InvalidOperationException(
                $"Device '{device}' was asked for, but TorchSharp finds no CUDA device: reference TorchSharp-cuda-linux in the application and check the driver, or use \"cpu\".");
        return TorchSharp.torch.device(device);
    }

    /// <summary>Checks what depends on the input column's size: the image shape and the slot ranges.</summary>
    public static void ValidateForInput(VaeOptions o, string column, int inputDimension)
    {
        Training.BatchSizeLimit.CheckFits(o.BatchSize, inputDimension, column);
        if (o.ImageShape is { } image && (image.Length != 3 || (long)image[0] * image[1] * image[2] != inputDimension))
            throw new ArgumentOutOfRangeException(nameof(o.ImageShape),
                $"ImageShape {Describe(image)} holds {image.Aggregate(1L, (a, b) => a * b)} values but column '{column}' has {inputDimension}.");
        Networks.Likelihoods.SlotLayoutValidation.Validate(o.MissingValues, o.SlotLikelihoods, o.Architecture, o.Likelihood, inputDimension);
        VaeOptionApplicability.CheckForInput(o, inputDimension);
    }

    private static void Positive(int value, string name) => TrainingOptionsValidation.Positive(value, name);

    private static string Describe(int[]? shape) => shape is null ? "null" : $"[{string.Join(", ", shape)}]";
}
