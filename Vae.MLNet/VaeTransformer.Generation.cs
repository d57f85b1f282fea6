using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using TorchSharp;

namespace Vae.MLNet;

// Working with single vectors: encoding, decoding, sampling and walking the latent space.
public sealed partial class VaeTransformer
{
    /// <summary>The size of the condition vector of a conditional VAE (0 for an unconditional one).</summary>
    public int ConditionDimension => _spec.ConditionDimension;

    /// <summary>
    /// The posterior q(z|x) of one input: its mean μ and log-variance log σ² (refined when the model refines). With a
    /// flow (VaeOptions.FlowSteps) these are the Gaussian q0 the flow starts from, as in the latent columns; the
    /// point the reconstruction decodes is then the flow's image of μ, which <see cref="LatentCode"/> returns.
    /// </summary>
    /// <param name="x">The input vector.</param>
    /// <param name="condition">Its condition vector, for a conditional VAE (one-hot for a key condition).</param>
    /// <exception cref="ArgumentException">x is not finite, or so far off the training scale that the latent mean is not
    /// finite or cannot be squared in float32 (as Transform refuses such a row; the message names the slot).</exception>
    public (float[] Mean, float[] LogVariance) Encode(float[] x, float[]? condition = null)
    {
        _lifetime.ThrowIfEnded();
        CheckInputVector(x);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var observed = new Observation(torch.tensor(x, [1, x.Length]), ConditionTensor(condition, rows: 1));
        var (mean, logVariance) = _inference.Posterior(Network, observed, x);
        var result = (mean.data<float>().ToArray(), logVariance.data<float>().ToArray());
        CheckOutput(result.Item1, x, nameof(x), "the latent mean");
        return result;
    }

    /// <summary>
    /// The latent point that stands for x: the one its reconstruction decodes. Without a flow it is Encode(x).Mean;
    /// with a flow (VaeOptions.FlowSteps) it is the flow's image of that mean. <see cref="Reconstruct"/>,
    /// <see cref="Interpolate"/> and <see cref="Traverse"/> all start from it, so an interpolation's ends are the
    /// reconstructions of its endpoints and a traversal through x's own value passes through x's reconstruction.
    /// </summary>
    /// <param name="x">The input vector.</param>
    /// <param name="condition">Its condition vector, for a conditional VAE (one-hot for a key condition).</param>
    public float[] LatentCode(float[] x, float[]? condition = null)
    {
        var (mean, logVariance) = Encode(x, condition);
        if (Network.Flow is null) return mean;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var center = Networks.Flows.PosteriorSamples.Center(Network, torch.tensor(mean, [1, mean.Length]), torch.tensor(logVariance, [1, logVariance.Length]));
        var code = center.data<float>().ToArray();
        CheckOutput(code, x, nameof(x), "the latent code");
        return code;
    }

    /// <summary>The decoded x for a latent vector: probabilities (Bernoulli) or means (Gaussian).</summary>
    public float[] Decode(float[] z, float[]? condition = null) => DecodeMany([z], condition)[0];

    /// <summary>
    /// The reconstruction of x, as the reconstruction column: Decode(LatentCode(x)), which is Decode(Encode(x).Mean)
    /// without a flow and the decoded image of the mean under the flow with one.
    /// </summary>
    public float[] Reconstruct(float[] x, float[]? condition = null) => Decode(LatentCode(x, condition), condition);

    /// <summary>
    /// <paramref name="count"/> new vectors decoded from z ~ N(0, I). With a seed the draws are reproducible and leave
    /// libtorch's global random state alone.
    /// </summary>
    public float[][] Sample(int count, int? seed = null) => SampleWith(count, null, seed);

    /// <summary><paramref name="count"/> vectors generated for a condition vector (conditional VAE).</summary>
    public float[][] Sample(int count, float[] condition, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return SampleWith(count, condition, seed);
    }

    /// <summary>
    /// <paramref name="count"/> vectors generated for class <paramref name="classIndex"/> (0-based: key value minus 1) of a
    /// key condition. (A name of its own, so <c>Sample(count, seed)</c> never binds to it.)
    /// </summary>
    public float[][] SampleClass(int count, int classIndex, int? seed = null)
    {
        var condition = _columns.Condition ?? throw new InvalidOperationException("This VAE has no condition column; use Sample(count, seed).");
        return SampleWith(count, condition.ForClass(classIndex), seed);
    }

    /// <summary>
    /// Decoded points on the path between the latent codes (<see cref="LatentCode"/>) of two inputs, both ends
    /// included, so the ends are the inputs' reconstructions: straight (<see cref="VaeInterpolation.Linear"/>) or
    /// along the great circle (<see cref="VaeInterpolation.Spherical"/>).
    /// </summary>
    public float[][] Interpolate(float[] from, float[] to, int steps, VaeInterpolation kind = VaeInterpolation.Linear, float[]? condition = null) =>
        DecodeMany(LatentPaths.Interpolate(LatentCode(from, condition), LatentCode(to, condition), steps, kind), condition);

    /// <summary>
    /// A latent traversal: x's latent code (<see cref="LatentCode"/>, the point its reconstruction decodes) with
    /// <paramref name="dimension"/> set to each of <paramref name="values"/> in turn, decoded. It shows what one latent
    /// dimension controls; the value LatentCode(x)[dimension] gives x's reconstruction.
    /// </summary>
    public float[][] Traverse(float[] x, int dimension, IReadOnlyList<double> values, float[]? condition = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (dimension < 0 || dimension >= LatentDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"The latent space has dimensions 0 to {LatentDimension - 1}.");
        var code = LatentCode(x, condition);
        return DecodeMany(values.Select(v =>
        {
            var z = (float[])code.Clone();
            z[dimension] = (float)v;
            return z;
        }).ToArray(), condition);
    }

    private float[][] SampleWith(int count, float[]? condition, int? seed)
    {
        _lifetime.ThrowIfEnded();
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (seed is not int s)
        {
            using var scope = torch.NewDisposeScope();
            return DecodeMany(Enumerable.Range(0, count).Select(_ => TensorCopy.ToArray(Noise.Randn(LatentDimension))).ToArray(), condition);
        }
        var random = new Random(s);
        return DecodeMany(Enumerable.Range(0, count).Select(_ => LatentPaths.StandardNormal(random, LatentDimension)).ToArray(), condition);
    }

    private float[][] DecodeMany(float[][] latents, float[]? condition)
    {
        _lifetime.ThrowIfEnded();
        foreach (var latent in latents) CheckVector(latent, LatentDimension, "z");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var z = torch.tensor(latents.SelectMany(v => v).ToArray(), [latents.Length, LatentDimension]);
        var decoded = Network.ToReconstruction(Network.Decode(z, ConditionTensor(condition, latents.Length))).data<float>().ToArray();
        var vectors = Enumerable.Range(0, latents.Length).Select(i => decoded.AsSpan(i * InputDimension, InputDimension).ToArray()).ToArray();
        for (int i = 0; i < vectors.Length; i++) CheckOutput(vectors[i], latents[i], "z", latents.Length == 1 ? "the decoded vector" : $"decoded vector {i}");
        return vectors;
    }

    /// <summary>
    /// The rule of Transform for the single-vector methods: an output that is not finite, or whose square overflows
    /// float32, comes from an argument far off the training scale, named with its slot of largest magnitude.
    /// </summary>
    private static void CheckOutput(float[] output, float[] argument, string name, string what)
    {
        if (Mapping.NonFiniteOutputs.Squarable(output)) return;
        int slot = Mapping.NonFiniteOutputs.LargestMagnitude(argument);
        float value = output[Mapping.NonFiniteOutputs.LargestMagnitude(output)];
        throw new ArgumentException($"{char.ToUpperInvariant(what[0])}{what[1..]} holds {value}, which must be finite and small enough to square in float32: " +
            $"{name} holds {argument[slot]} at index {slot}, its largest value in magnitude, far outside what the model was trained on. " +
            "Normalize the input as in training.", name);
    }

    /// <summary>The condition repeated for each row, checked against the model (null for an unconditional one).</summary>
    private torch.Tensor? ConditionTensor(float[]? condition, int rows)
    {
        if (ConditionDimension == 0)
        {
            if (condition is not null) throw new ArgumentException("This VAE has no condition column; pass no condition.", nameof(condition));
            return null;
        }
        if (condition is null)
            throw new ArgumentException($"This VAE is conditioned on '{_columns.Condition!.Name}': pass a condition vector of {ConditionDimension} values.", nameof(condition));
        CheckVector(condition, ConditionDimension, nameof(condition));
        return torch.tensor(condition, [1, ConditionDimension]).repeat(rows, 1);
    }

    // With missing values or slot likelihoods, the observation model says what an input may hold (NaN under Mask).
    private void CheckInputVector(float[] x)
    {
        CheckVector(x, InputDimension, nameof(x), finite: Network.Observation is null);
        if (Network.Observation?.FindProblem(x) is var (slot, problem))
            throw new ArgumentException($"Value {x[slot]} at index {slot}: {problem}.", nameof(x));
    }

    private static void CheckVector(float[] values, int size, string name, bool finite = true)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != size)
            throw new ArgumentException($"Expected a vector of {size} values, got {values.Length}.", name);
        for (int i = 0; i < values.Length && finite; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentException($"Value {values[i]} at index {i} is not finite.", name);
    }
}
