namespace Vae.MLNet.Networks;

/// <summary>
/// Checks a <see cref="VaeNetworkSpec"/> before a network is built from it: at Fit from the options, at Load from a
/// file that may have been tampered with. Sizes are bounded before anything is allocated.
/// </summary>
internal static class VaeNetworkSpecValidation
{
    /// <summary>The most weights a VAE may have (4 GiB of Single); beyond it a typo or a hostile file, not a model.</summary>
    internal const long MaxWeights = 1L << 30;
    /// <summary>The widest log-variance range: e^±50 already spans 43 orders of magnitude.</summary>
    internal const double MaxAbsLogVariance = 50;
    /// <summary>The most values a condition may have: the key's count (one-hot) or the vector's size.</summary>
    internal const int MaxConditionDimension = 100_000;
    /// <summary>Bounds on the flow and the iterative inference model: beyond them a typo or a hostile file.</summary>
    internal const int MaxFlowSteps = 64, MaxInferenceIterations = 100, MaxAuxiliaryHiddenDimension = 1 << 16;

    /// <exception cref="ArgumentException">The spec describes no valid network (the message names the field).</exception>
    public static void Validate(VaeNetworkSpec s)
    {
        if (!Enum.IsDefined(s.Architecture)) throw new ArgumentException($"Architecture {(int)s.Architecture} is not defined.", nameof(s.Architecture));
        if (!Enum.IsDefined(s.Likelihood)) throw new ArgumentException($"Likelihood {(int)s.Likelihood} is not defined.", nameof(s.Likelihood));
        if (s.InputDimension < 1) throw new ArgumentOutOfRangeException(nameof(s.InputDimension), s.InputDimension, "The input needs at least one value.");
        if (s.LatentDimension < 1) throw new ArgumentOutOfRangeException(nameof(s.LatentDimension), s.LatentDimension, "LatentDimension must be at least 1.");
        if (s.HiddenDimensions is not { Length: > 0 } hidden || hidden.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(nameof(s.HiddenDimensions), Describe(s.HiddenDimensions), "HiddenDimensions needs at least one layer, each of positive width.");
        if (s.ConditionDimension is < 0 or > MaxConditionDimension)
            throw new ArgumentOutOfRangeException(nameof(s.ConditionDimension), s.ConditionDimension, $"ConditionDimension must be between 0 and {MaxConditionDimension}.");
        if (s.Architecture == VaeArchitecture.Convolutional)
        {
            if (s.ImageShape is not { Length: 3 } image || image.Any(d => d < 1) || (long)image[0] * image[1] * image[2] != s.InputDimension)
                throw new ArgumentOutOfRangeException(nameof(s.ImageShape), Describe(s.ImageShape),
                    $"ImageShape must be {{C, H, W}} with positive sizes whose product is the input size {s.InputDimension}.");
            CheckImageFitsLayers(image, s.HiddenDimensions, column: null);
        }
        if (!(s.ObservationVariance > 0) || !double.IsFinite(s.ObservationVariance))
            throw new ArgumentOutOfRangeException(nameof(s.ObservationVariance), s.ObservationVariance, "ObservationVariance must be a positive finite number.");
        if (!(s.LogVarianceMin < s.LogVarianceMax) || Math.Abs(s.LogVarianceMin) > MaxAbsLogVariance || Math.Abs(s.LogVarianceMax) > MaxAbsLogVariance)
            throw new ArgumentOutOfRangeException(nameof(s.LogVarianceMin), $"({s.LogVarianceMin}, {s.LogVarianceMax})",
                $"LogVarianceMin and LogVarianceMax need Min < Max within ±{MaxAbsLogVariance}.");
        if (s.LogVarianceInitialBias is double bias && !double.IsFinite(bias))
            throw new ArgumentOutOfRangeException(nameof(s.LogVarianceInitialBias), bias, "LogVarianceInitialBias must be finite.");
        ValidateAuxiliary(s.FlowSteps, MaxFlowSteps, nameof(s.FlowSteps), s.FlowHiddenDimension, nameof(s.FlowHiddenDimension));
        ValidateAuxiliary(s.InferenceIterations, MaxInferenceIterations, nameof(s.InferenceIterations), s.InferenceHiddenDimension, nameof(s.InferenceHiddenDimension));
        Likelihoods.SlotLayoutValidation.Validate(s.MissingValues, s.SlotLikelihoods, s.Architecture, s.Likelihood, s.InputDimension);
        long weights = WeightCount(s);
        if (weights > MaxWeights)
            throw new ArgumentOutOfRangeException(nameof(s.LatentDimension),
                $"A VAE with LatentDimension {s.LatentDimension} and HiddenDimensions {Describe(s.HiddenDimensions)} on {s.InputDimension} inputs would have " +
                $"about {weights:N0} weights (more than {MaxWeights:N0}).");
    }

    /// <summary>
    /// Whether the image's height and width take the convolutional encoder's stride-2 layers (one per hidden
    /// dimension), each of which roughly halves them: 2^layers pixels a side at least.
    /// </summary>
    /// <param name="image">{C, H, W}.</param>
    /// <param name="hidden">The convolutional HiddenDimensions (channels per layer).</param>
    /// <param name="column">The column the shape was read from, or null when it is the ImageShape option's.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image is too small (ParamName ImageShape), naming the smallest size that works.</exception>
    public static void CheckImageFitsLayers(int[] image, int[] hidden, string? column)
    {
        long smallest = ConvolutionalLayers.SmallestSide(hidden.Length);
        int side = Math.Min(image[1], image[2]);
        if (side >= smallest) return;
        int layersThatFit = 0;
        while (ConvolutionalLayers.SmallestSide(layersThatFit + 1) <= side) layersThatFit++;
        string source = column is null ? $"ImageShape {Describe(image)}" : $"The image shape {Describe(image)} of column '{column}'";
        string fix = layersThatFit > 0
            ? $"give a larger image or at most {layersThatFit} HiddenDimensions for this one"
            : "give a larger image, or use the MLP architecture for an image this small";
        string size = smallest == long.MaxValue ? "larger than any image" : $"at least {smallest} × {smallest} pixels";
        throw new ArgumentOutOfRangeException("ImageShape", Describe(image),
            $"{source} is too small for the convolutional encoder of HiddenDimensions {Describe(hidden)}: its {hidden.Length} stride-2 convolutions " +
            $"({ConvolutionalLayers.Kernel}×{ConvolutionalLayers.Kernel} kernels, padding {ConvolutionalLayers.Padding}) each halve the height and width, " +
            $"so the image must be {size} (H × W); {fix}.");
    }

    /// <summary>A count in [0, max] and a hidden width that is positive with it and 0 without it.</summary>
    private static void ValidateAuxiliary(int count, int max, string countName, int hidden, string hiddenName)
    {
        if (count < 0 || count > max) throw new ArgumentOutOfRangeException(countName, count, $"{countName} must be between 0 and {max}.");
        if (count > 0 ? hidden is < 1 or > MaxAuxiliaryHiddenDimension : hidden != 0)
            throw new ArgumentOutOfRangeException(hiddenName, hidden, $"{hiddenName} must be between 1 and {MaxAuxiliaryHiddenDimension} with {countName} = {count} > 0, and 0 with {countName} = 0.");
    }

    /// <summary>
    /// The number of weights of the spec's network, biases and batch-norm parameters left out (a lower bound on its
    /// parameter count), computed without building it and without overflowing.
    /// </summary>
    public static long WeightCount(VaeNetworkSpec s)
    {
        checked
        {
            try
            {
                long latent = s.LatentDimension + (long)s.ConditionDimension;
                long d = s.LatentDimension, flowHidden = s.FlowHiddenDimension, inferenceHidden = s.InferenceHiddenDimension;
                // Per IAF step: masked input D·H, context 2D·H, masked output H·2D, context to output 2D·2D; the
                // iterative model: 4D·H, H·H and two heads of H·2D.
                long auxiliary = s.FlowSteps * (5 * d * flowHidden + 4 * d * d)
                    + (s.InferenceIterations > 0 ? 8 * d * inferenceHidden + inferenceHidden * inferenceHidden : 0);
                if (s.Architecture != VaeArchitecture.Convolutional)
                {
                    long total = 0, width = Likelihoods.MaskChannel.EncoderInputDimension(s) + s.ConditionDimension;
                    foreach (int h in s.HiddenDimensions) { total += width * h; width = h; }
                    total += 2 * width * s.LatentDimension;
                    width = latent;
                    foreach (int h in s.HiddenDimensions.Reverse()) { total += width * h; width = h; }
                    return total + width * s.InputDimension + auxiliary;
                }
                long weights = 0, channels = s.ImageShape![0], height = s.ImageShape[1], breadth = s.ImageShape[2];
                foreach (int c in s.HiddenDimensions)
                {
                    weights += 2 * channels * c * 16;  // the convolution and its transposed twin, 4×4 kernels
                    channels = c;
                    height = Math.Max(1, height / 2);
                    breadth = Math.Max(1, breadth / 2);
                }
                long features = channels * height * breadth;
                return weights + 2 * (features + s.ConditionDimension) * s.LatentDimension + latent * features + auxiliary;
            }
            catch (OverflowException)
            {
                return long.MaxValue;
            }
        }
    }

    private static string Describe(int[]? shape) => shape is null ? "null" : $"[{string.Join(", ", shape)}]";
}
