using System.Numerics.Tensors;

namespace Vae.MLNet.Acceleration.Encoder;

/// <summary>
/// A fitted MLP encoder's μ and log σ² computed in managed code at a cost of only the rows' non-zero inputs (see
/// <see cref="AffineLayer"/>) and no native call: for a few rows (PredictionEngine's one row, where a libtorch call's
/// dispatch costs more than the arithmetic) and for batches of sparse rows (MNIST's are 19% non-zero, and its
/// Transform is faster this way than through libtorch's GEMM, more so with rows in blocks of four and both heads
/// stacked into one layer; benchmarks/README.md). Batch norm is folded into the layer
/// before it with its running statistics (evaluation mode). The kernel is a copy of the weights taken when it is made:
/// immutable, so any number of threads may use it at once.
/// </summary>
internal sealed class MlpEncoderKernel
{
    private readonly AffineLayer[] _body;
    private readonly bool[] _relu;
    private readonly AffineLayer _heads;
    private readonly float _logVarianceMin, _logVarianceMax;
    private readonly int _inputDimension, _conditionDimension, _widest;

    /// <summary>The kernel of the encoder <paramref name="encoder"/> describes (weights copied, batch norms folded).</summary>
    public MlpEncoderKernel(DenseEncoderDescription encoder)
    {
        _body = [.. encoder.Body.Select(FromDescription)];
        _relu = [.. encoder.Body.Select(layer => layer.Relu)];
        // Both heads as one layer of 2 × latent outputs: one group of weights to run through instead of two (latent ≤ 32).
        _heads = FromDescription(encoder.MeanHead).Stack(FromDescription(encoder.LogVarianceHead));
        _logVarianceMin = (float)encoder.LogVarianceMin;
        _logVarianceMax = (float)encoder.LogVarianceMax;
        _inputDimension = encoder.InputWidth;
        _conditionDimension = encoder.ConditionWidth;
        _widest = _body.Length == 0 ? 0 : _body.Max(layer => layer.Outputs);
    }

    /// <summary>Up to this many rows the kernel serves whatever the input, as libtorch's dispatch costs more than the arithmetic.</summary>
    public const int FewRows = 4;

    /// <summary>
    /// Beyond <see cref="FewRows"/>, the kernel serves batches with at most this fraction of non-zero inputs: its cost
    /// grows with the non-zeros and met libtorch's GEMM near 45% where it was tuned (benchmarks/README.md); 30% leaves
    /// room for machines where libtorch's GEMM is faster.
    /// </summary>
    public const double DensityLimit = 0.3;

    // Scratch per thread, so concurrent callers share the kernel without locks and a call allocates nothing.
    [ThreadStatic] private static Workspace? t_workspace;

    /// <summary>
    /// μ (and log σ², clamped as the network clamps it, when <paramref name="logVariance"/> is not null) of the first
    /// <paramref name="rows"/> rows of <paramref name="features"/> (rows × input) and <paramref name="conditions"/>
    /// (rows × condition size, null for an unconditional VAE). Any number of rows; <see cref="Serves"/> says when
    /// this is faster than libtorch.
    /// </summary>
    public void Encode(float[] features, float[]? conditions, int rows, float[] mean, float[]? logVariance)
    {
        // On the calling thread: splitting a cursor's 256-row batch across two threads was slower, in time and in CPU
        // a row, than one thread (benchmarks/README.md); ML.NET runs cursors in parallel where it wants to.
        int latent = _heads.Outputs / 2, inputWidth = _inputDimension + _conditionDimension;
        var workspace = t_workspace ??= new Workspace();
        var scratch = workspace.Scratch(rows * Math.Max(_widest, inputWidth), rows);
        ReadOnlySpan<float> input = features.AsSpan(0, rows * _inputDimension);
        if (_conditionDimension > 0)
        {
            var joined = workspace.Joined(rows * inputWidth);
            for (int r = 0; r < rows; r++)
            {
                input.Slice(r * _inputDimension, _inputDimension).CopyTo(joined.AsSpan(r * inputWidth));
                conditions.AsSpan(r * _conditionDimension, _conditionDimension).CopyTo(joined.AsSpan(r * inputWidth + _inputDimension));
            }
            input = joined.AsSpan(0, rows * inputWidth);
        }
        var (a, b) = workspace.Hidden(rows * _widest);
        // Each layer writes into the buffer its input is not in.
        for (int layer = 0; layer < _body.Length; layer++)
        {
            var output = (layer % 2 == 0 ? a : b).AsSpan(0, rows * _body[layer].Outputs);
            _body[layer].Apply(input, rows, output, scratch);
            if (_relu[layer]) TensorPrimitives.Max(output, 0f, output);
            input = output;
        }
        var heads = workspace.Heads(rows * 2 * latent);
        _heads.Apply(input, rows, heads, scratch);
        for (int r = 0; r < rows; r++)
        {
            heads.AsSpan(2 * r * latent, latent).CopyTo(mean.AsSpan(r * latent));
            if (logVariance is null) continue;
            var variance = logVariance.AsSpan(r * latent, latent);
            TensorPrimitives.Max(heads.AsSpan((2 * r + 1) * latent, latent), _logVarianceMin, variance);
            TensorPrimitives.Min(variance, _logVarianceMax, variance);
        }
    }

    /// <summary>Whether the kernel is the faster way to encode these rows (see <see cref="DensityLimit"/>).</summary>
    public static bool Serves(ReadOnlySpan<float> features, int rows) =>
        rows <= FewRows || NonZeroScratch.Count(features) <= DensityLimit * features.Length;

    /// <summary>A layer's weights, with an evaluation-mode batch norm after it folded in: W' = s·W, b' = s·(b − μ) + β, s = γ/√(σ² + ε).</summary>
    private static AffineLayer FromDescription(DenseLayerDescription layer)
    {
        var weights = (float[])layer.Weights.Clone();
        var bias = (float[])layer.Bias.Clone();
        if (layer.Norm is { } norm)
        {
            int inputs = weights.Length / bias.Length;
            for (int o = 0; o < bias.Length; o++)
            {
                float scale = (float)((norm.Scale?[o] ?? 1f) / Math.Sqrt(norm.RunningVariance[o] + norm.Epsilon));
                TensorPrimitives.Multiply(weights.AsSpan(o * inputs, inputs), scale, weights.AsSpan(o * inputs, inputs));
                bias[o] = scale * (bias[o] - norm.RunningMean[o]) + (norm.Shift?[o] ?? 0f);
            }
        }
        return new AffineLayer(weights, bias);
    }

    private sealed class Workspace
    {
        private NonZeroScratch? _scratch;
        private float[] _joined = [], _a = [], _b = [], _heads = [];

        public NonZeroScratch Scratch(int capacity, int rows) =>
            _scratch is { } s && s.Capacity >= capacity && s.Starts.Length > rows ? s : _scratch = new NonZeroScratch(capacity, rows);

        public float[] Joined(int size) => _joined.Length >= size ? _joined : _joined = new float[size];

        public float[] Heads(int size) => _heads.Length >= size ? _heads : _heads = new float[size];

        public (float[] a, float[] b) Hidden(int size)
        {
            if (_a.Length < size) (_a, _b) = (new float[size], new float[size]);
            return (_a, _b);
        }
    }
}
