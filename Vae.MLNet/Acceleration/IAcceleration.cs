using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration;

/// <summary>
/// The one door between the model (Networks, Training, Mapping, Inference, Autoencoder) and the way its arithmetic is
/// done: the handful of operations where the library's hand-written kernels can stand in for libtorch's. Two
/// implementations: <see cref="PlainLibtorch"/> (no hand-written kernel) and <see cref="OwnKernels"/> (the kernels
/// where they serve, libtorch elsewhere); <see cref="Accelerations.For"/> chooses. Both give the same results within
/// float32 rounding. A network is built with one and keeps it, so a fitted transformer computes as its Fit chose.
/// </summary>
internal interface IAcceleration
{
    /// <summary>True for <see cref="OwnKernels"/>: the hand-written kernels serve where they are faster.</summary>
    bool UsesOwnKernels { get; }

    /// <summary>y = x·Wᵀ + b for a batch (rows, inputs), W (outputs, inputs), b (outputs) or null; differentiable.</summary>
    Tensor Linear(Tensor input, Tensor weight, Tensor? bias);

    /// <summary>A 4×4 convolution with stride 2 and padding 1: x (n, c, h, w), W (f, c, 4, 4), b (f); differentiable.</summary>
    Tensor StridedConvolution(Tensor input, Tensor weight, Tensor bias);

    /// <summary>
    /// The transpose of <see cref="StridedConvolution"/> with <paramref name="outputPadding"/> (height, width) added
    /// to the output: x (n, f, h, w), W (f, c, 4, 4), b (c); differentiable.
    /// </summary>
    Tensor StridedTransposedConvolution(Tensor input, Tensor weight, Tensor bias, long[] outputPadding);

    /// <summary>
    /// The update step of <paramref name="optimizer"/>, made as <c>optim.Adam(parameters, lr)</c> with default betas
    /// and ε over <paramref name="parameters"/>: its own <c>step()</c>, or the same arithmetic fused.
    /// </summary>
    IAdamStep AdamStep(Adam optimizer, IEnumerable<Parameter> parameters, double learningRate);

    /// <summary>
    /// An encoder for few or sparse rows computed outside libtorch, made on first use from the description
    /// <paramref name="describe"/> returns (null: the network has no such description); null where this
    /// implementation has none.
    /// </summary>
    IDenseEncoder? DenseEncoder(Func<DenseEncoderDescription?> describe);

    /// <summary>
    /// Enters a Fit on this thread with <paramref name="trainingThreads"/> (0: libtorch's count as it is): the thread
    /// counts and the process settings the Fit runs with, put back when the scope is disposed.
    /// </summary>
    IDisposable EnterFit(int trainingThreads);
}

/// <summary>One optimizer update of every parameter with a gradient.</summary>
internal interface IAdamStep
{
    void Step();
}

/// <summary>A fitted encoder's μ and log σ² for rows of floats, outside libtorch; any number of threads may use it at once.</summary>
internal interface IDenseEncoder
{
    /// <summary>Whether this encoder is the faster way to encode these rows (few rows, or sparse ones).</summary>
    bool Serves(ReadOnlySpan<float> features, int rows);

    /// <summary>
    /// μ (and log σ², clamped, when <paramref name="logVariance"/> is not null) of the first <paramref name="rows"/>
    /// rows of <paramref name="features"/> (rows × input) and <paramref name="conditions"/> (rows × condition, or null).
    /// </summary>
    void Encode(float[] features, float[]? conditions, int rows, float[] mean, float[]? logVariance);
}
