using System.Text.Json.Serialization;

namespace Vae.MLNet.Autoencoder;

/// <summary>Everything needed to rebuild an autoencoder's network without its weights: saved in the model file.</summary>
internal sealed record AutoencoderNetworkSpec
{
    public required VaeLikelihood Likelihood { get; init; }
    public required int InputDimension { get; init; }
    public required int LatentDimension { get; init; }
    /// <summary>The encoder's hidden widths (the decoder mirrors them); may be empty.</summary>
    public required int[] HiddenDimensions { get; init; }
    public required AutoencoderLatentActivation LatentActivation { get; init; }
    /// <summary>
    /// True when the Fit set UseOwnKernels = false: the network computes with libtorch alone, after a reload too, so a
    /// saved model gives the same bits as the transformer its Fit returned. Left out of the file when false (the default).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool LibtorchOnly { get; init; }

    /// <summary>The number of weights (biases left out), without overflowing: long.MaxValue when it would.</summary>
    public long WeightCount()
    {
        try
        {
            checked
            {
                long total = 0, width = InputDimension;
                foreach (int h in HiddenDimensions) { total += width * h; width = h; }
                // The latent layer, and the decoder mirrored back to the input.
                return 2 * (total + width * LatentDimension);
            }
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>Checks the spec before a network is built from it: at Fit from the options, at Load from an untrusted file.</summary>
    /// <exception cref="ArgumentException">The spec describes no valid network (the message names the field).</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Likelihood)) throw new ArgumentException($"Likelihood {(int)Likelihood} is not defined.", nameof(Likelihood));
        if (!Enum.IsDefined(LatentActivation)) throw new ArgumentException($"LatentActivation {(int)LatentActivation} is not defined.", nameof(LatentActivation));
        if (InputDimension < 1) throw new ArgumentOutOfRangeException(nameof(InputDimension), InputDimension, "The input needs at least one value.");
        if (LatentDimension < 1) throw new ArgumentOutOfRangeException(nameof(LatentDimension), LatentDimension, "LatentDimension must be at least 1.");
        if (HiddenDimensions is null || HiddenDimensions.Length > MaxHiddenLayers || HiddenDimensions.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(nameof(HiddenDimensions), HiddenDimensions is null ? "null" : $"[{string.Join(", ", HiddenDimensions)}]",
                $"HiddenDimensions needs at most {MaxHiddenLayers} layers, each of positive width.");
        long weights = WeightCount();
        if (weights > Networks.VaeNetworkSpecValidation.MaxWeights)
            throw new ArgumentOutOfRangeException(nameof(HiddenDimensions),
                $"An autoencoder with LatentDimension {LatentDimension} and HiddenDimensions [{string.Join(", ", HiddenDimensions)}] on {InputDimension} inputs would have " +
                $"about {weights:N0} weights (more than {Networks.VaeNetworkSpecValidation.MaxWeights:N0}).");
    }

    /// <summary>Deeper than this is a typo or a hostile file, not a model.</summary>
    internal const int MaxHiddenLayers = 64;
}
