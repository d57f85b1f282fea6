using TorchSharp.Modules;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks.Flows;
using Vae.MLNet.Networks.Iterative;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

/// <summary>
/// The encoder q(z|x) = N(μ(x), diag σ²(x)) and decoder p(x|z) of a VAE. The encoder's shared body feeds two
/// separate linear heads for μ and log σ², with nothing after them. All tensors are (rows, features); images are
/// reshaped to (rows, C, H, W) inside.
/// </summary>
internal sealed class VaeNetwork : nn.Module
{
    private readonly nn.Module<Tensor, Tensor> _encoderBody;
    private readonly Linear _meanHead;
    private readonly Linear _logVarianceHead;
    private readonly nn.Module<Tensor, Tensor> _decoderBody;
    private readonly Tensor? _observationLogVariance;

    /// <param name="spec">The network to build.</param>
    /// <param name="initialization">
    /// The generator of the initial weights (PyTorch's default initialization, drawn from it), so a seeded fit repeats;
    /// null leaves libtorch's default generator to TorchSharp's constructors (a loaded network overwrites them anyway).
    /// </param>
    /// <param name="acceleration">How the layers compute; null: as the spec says and the process allows (<see cref="Accelerations.For"/>).</param>
    public VaeNetwork(VaeNetworkSpec spec, Generator? initialization = null, IAcceleration? acceleration = null) : base(nameof(VaeNetwork))
    {
        TorchRuntime.EnsureLoaded();
        Spec = spec;
        Acceleration = acceleration ?? Accelerations.For(useOwnKernels: !spec.LibtorchOnly);
        _logVarianceMin = spec.LogVarianceMin.ToScalar();
        _logVarianceMax = spec.LogVarianceMax.ToScalar();
        Observation = Likelihoods.ObservationModel.For(spec);
        int features;
        if (spec.Architecture == VaeArchitecture.Convolutional)
            (_encoderBody, _decoderBody, features) = ConvolutionalLayers.Build(spec, Acceleration);
        else
            (_encoderBody, _decoderBody, features) = MlpLayers.Build(spec, Acceleration);
        int headInput = features + (spec.Architecture == VaeArchitecture.Convolutional ? spec.ConditionDimension : 0);
        _meanHead = nn.Linear(headInput, spec.LatentDimension);
        _logVarianceHead = nn.Linear(headInput, spec.LatentDimension);

        register_module("encoder", _encoderBody);
        register_module("mean_head", _meanHead);
        register_module("log_variance_head", _logVarianceHead);
        register_module("decoder", _decoderBody);
        if (spec.FlowSteps > 0)
        {
            Flow = new InverseAutoregressiveFlow(spec.LatentDimension, spec.FlowSteps, spec.FlowHiddenDimension);
            register_module("flow", Flow);
        }
        if (spec.InferenceIterations > 0)
        {
            IterativeInference = new IterativeInferenceModel(spec.LatentDimension, spec.InferenceHiddenDimension);
            register_module("iterative_inference", IterativeInference);
        }
        if (spec.Likelihood == VaeLikelihood.Gaussian)
        {
            using var logObservationVariance = Math.Log(spec.ObservationVariance).ToScalar();
            var initial = full([spec.InputDimension], logObservationVariance);
            if (spec.LearnObservationVariance)
            {
                var parameter = new Parameter(initial);
                register_parameter("observation_log_variance", parameter);
                _observationLogVariance = parameter;
            }
            else
            {
                _observationLogVariance = initial;
                register_buffer("observation_log_variance", _observationLogVariance);
            }
        }
        // After registration, so the named parameters are there to draw; the head bias overrides its draw.
        if (initialization is not null) Initialize(initialization);
        Flow?.ZeroOutputs();
        IterativeInference?.InitializeGates();
        if (spec.LogVarianceInitialBias is double bias)
        {
            using var noGrad = no_grad();
            using var biasScalar = bias.ToScalar();
            _logVarianceHead.bias!.fill_(biasScalar);
        }
    }

    public VaeNetworkSpec Spec { get; }

    /// <summary>How the layers compute, and what the training loop, the mappers and the refiner ask for kernels.</summary>
    internal IAcceleration Acceleration { get; }

    /// <summary>The inverse-autoregressive flow on q(z|x)'s samples (<see cref="VaeNetworkSpec.FlowSteps"/> &gt; 0), or null.</summary>
    internal InverseAutoregressiveFlow? Flow { get; }

    /// <summary>The iterative inference model (<see cref="VaeNetworkSpec.InferenceIterations"/> &gt; 0), or null.</summary>
    internal IterativeInferenceModel? IterativeInference { get; }

    /// <summary>Per-slot likelihoods and the missing-value mask; null for a plain VAE.</summary>
    internal Likelihoods.ObservationModel? Observation { get; }

    /// <summary>The encoder body's layers in order.</summary>
    internal IEnumerable<nn.Module> EncoderBodyLayers => _encoderBody.children();

    /// <summary>
    /// The encoder as the acceleration's dense encoder reads it (weights copied now, evaluation-mode batch norms): null
    /// for the convolutional architecture and for MissingValues = Mask, whose mask channel the torch path computes.
    /// </summary>
    internal DenseEncoderDescription? DescribeEncoder()
    {
        if (Spec.Architecture != VaeArchitecture.Mlp || Spec.MissingValues == VaeMissingValues.Mask) return null;
        using var noGrad = no_grad();
        var body = new List<DenseLayerDescription>();
        var children = _encoderBody.children().ToArray();
        for (int i = 0; i < children.Length; i++)
        {
            if (children[i] is not LinearLayer linear)
                throw new InvalidOperationException($"The MLP encoder has an unexpected layer {children[i].GetType().Name} at {i}.");
            var norm = i + 1 < children.Length && children[i + 1] is BatchNorm1d batchNorm ? Describe(batchNorm) : null;
            if (norm is not null) i++;
            bool relu = i + 1 < children.Length && children[i + 1] is ReLU;
            if (relu) i++;
            body.Add(new DenseLayerDescription(TensorCopy.ToArray(linear.Weight), TensorCopy.ToArray(linear.Bias), norm, relu));
        }
        return new DenseEncoderDescription(body, Describe(_meanHead), Describe(_logVarianceHead), Spec.InputDimension, Spec.ConditionDimension,
            Spec.LogVarianceMin, Spec.LogVarianceMax);
    }

    private static DenseLayerDescription Describe(Linear head) =>
        new(TensorCopy.ToArray(head.weight!), head.bias is { } b ? TensorCopy.ToArray(b) : new float[head.weight!.size(0)], null, false);

    private static BatchNormDescription Describe(BatchNorm1d norm) =>
        new(TensorCopy.ToArray(norm.running_mean!), TensorCopy.ToArray(norm.running_var!), norm.weight is { } w ? TensorCopy.ToArray(w) : null,
            norm.bias is { } b ? TensorCopy.ToArray(b) : null, norm.eps);

    /// <summary>
    /// PyTorch's default initialization of Linear and (transposed) convolution layers, with draws from
    /// <paramref name="generator"/>: kaiming_uniform(a = √5) for weights and U(±1/√fan_in) for biases, both of which
    /// are U(±1/√fan_in), fan_in = weight.size(1) · kernel size. Batch norm keeps its constant initialization.
    /// </summary>
    private void Initialize(Generator generator)
    {
        using var noGrad = no_grad();
        var parameters = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, weight) in parameters)
        {
            if (!name.EndsWith(".weight", StringComparison.Ordinal) || weight.dim() < 2) continue;
            long fanIn = weight.size(1);
            for (int d = 2; d < weight.dim(); d++) fanIn *= weight.size(d);
            double bound = 1 / Math.Sqrt(fanIn);
            weight.uniform_(-bound, bound, generator);
            if (parameters.TryGetValue(name[..^".weight".Length] + ".bias", out var layerBias)) layerBias.uniform_(-bound, bound, generator);
        }
    }

    // Submodules are invoked with call(), not forward(), so forward hooks registered on them run (as in PyTorch).

    /// <summary>μ and log σ² (clamped to the configured range) for a batch of inputs.</summary>
    public (Tensor mean, Tensor logVariance) Encode(Tensor x, Tensor? condition = null)
    {
        using var features = EncoderFeatures(x, condition);
        var mean = _meanHead.call(features);
        using var rawLogVariance = _logVarianceHead.call(features);
        return (mean, rawLogVariance.clamp(_logVarianceMin, _logVarianceMax));
    }

    /// <summary>μ alone, skipping the log σ² head: for readers that want only the latent means.</summary>
    public Tensor EncodeMean(Tensor x, Tensor? condition = null)
    {
        using var features = EncoderFeatures(x, condition);
        return _meanHead.call(features);
    }

    /// <summary>The shared encoder body's output, with the condition appended where the heads expect it.</summary>
    private Tensor EncoderFeatures(Tensor x, Tensor? condition) => WithContext("encoder", x, condition, () => EncoderBody(x, condition));

    private Tensor EncoderBody(Tensor x, Tensor? condition)
    {
        if (Spec.Architecture == VaeArchitecture.Convolutional)
        {
            int[] s = Spec.ImageShape!;
            using var image = x.view(-1, s[0], s[1], s[2]);
            var features = _encoderBody.call(image);
            if (condition is null) return features;
            using (features) return cat([features, condition], 1);
        }
        using var masked = Spec.MissingValues == VaeMissingValues.Mask ? Likelihoods.MaskChannel.Append(x) : null;
        var encoded = masked ?? x;
        using var input = condition is null ? encoded.alias() : cat([encoded, condition], 1);
        return _encoderBody.call(input);
    }

    /// <summary>The decoder's raw output, (rows, input dimension): logits (Bernoulli) or means (Gaussian).</summary>
    public Tensor Decode(Tensor z, Tensor? condition = null) => WithContext("decoder", z, condition, () => DecoderBody(z, condition));

    /// <summary>
    /// Runs a part of the network and turns a libtorch error (TorchSharp's <see cref="System.Runtime.InteropServices.ExternalException"/>)
    /// into one that says which part failed on which shapes, with libtorch's message and the original inside.
    /// </summary>
    private Tensor WithContext(string part, Tensor input, Tensor? condition, Func<Tensor> run)
    {
        try
        {
            return run();
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            string conditionShape = condition is null ? "" : $" and a condition of shape [{string.Join(", ", condition.shape)}]";
            throw new InvalidOperationException(
                $"libtorch failed in the VAE's {part} ({Spec.Architecture}, input {Spec.InputDimension}, latent {Spec.LatentDimension}) " +
                $"on an input of shape [{string.Join(", ", input.shape)}]{conditionShape}: {e.Message}", e);
        }
    }

    private Tensor DecoderBody(Tensor z, Tensor? condition)
    {
        using var input = condition is null ? z.alias() : cat([z, condition], 1);
        using var output = _decoderBody.call(input);
        return output.flatten(1);
    }

    /// <summary>log σ² of the Gaussian p(x|z) per feature (null for Bernoulli), kept in [log 1e-4, log 1e2].</summary>
    public Tensor? ObservationLogVariance() => _observationLogVariance?.clamp(ObservationLogVarianceMin, ObservationLogVarianceMax);

    // Fields, not implicit conversions: see Backend/Scalars.
    private readonly Scalar _logVarianceMin, _logVarianceMax;
    private static readonly Scalar ObservationLogVarianceMin = Math.Log(1e-4).ToScalar(), ObservationLogVarianceMax = Math.Log(1e2).ToScalar();

    /// <summary>What the reconstruction column shows: sigmoid(logits) for Bernoulli, the mean for Gaussian.</summary>
    public Tensor ToReconstruction(Tensor decoderOutput) =>
        Observation is { } observation ? observation.Mean(decoderOutput)
        : Spec.Likelihood == VaeLikelihood.Bernoulli ? decoderOutput.sigmoid() : decoderOutput.alias();

    /// <summary>z = μ + σ ⊙ ε with ε ~ N(0, I), drawn from the current <see cref="Noise"/> generator.</summary>
    public static Tensor Reparameterize(Tensor mean, Tensor logVariance)
    {
        using var std = (logVariance * Scalars.Half).exp();
        using var eps = Noise.RandnLike(std);
        using var noise = std * eps;
        return mean.Plus(noise);
    }
}
