using TorchSharp.Modules;
using Vae.MLNet.Acceleration.Convolutions;
using Vae.MLNet.Acceleration.Optimizer;
using Vae.MLNet.Runtime;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration;

/// <summary>
/// Every operation as libtorch does it, with no hand-written kernel. The strided convolutions still keep off oneDNN
/// where its kernels are wrong (unfold/fold, <see cref="ConvolutionPaths.Correct"/>): that is correctness, not speed.
/// </summary>
internal sealed class PlainLibtorch : IAcceleration
{
    public static readonly PlainLibtorch Instance = new();

    private PlainLibtorch()
    {
    }

    public bool UsesOwnKernels => false;

    public Tensor Linear(Tensor input, Tensor weight, Tensor? bias) => nn.functional.linear(input, weight, bias);

    public Tensor StridedConvolution(Tensor input, Tensor weight, Tensor bias) =>
        ConvolutionPaths.Convolve(ConvolutionPaths.Correct, input, weight, bias);

    public Tensor StridedTransposedConvolution(Tensor input, Tensor weight, Tensor bias, long[] outputPadding) =>
        ConvolutionPaths.ConvolveTransposed(ConvolutionPaths.Correct, input, weight, bias, outputPadding);

    public IAdamStep AdamStep(Adam optimizer, IEnumerable<Parameter> parameters, double learningRate) => new LibtorchAdamStep(optimizer, parameters, learningRate);

    public IDenseEncoder? DenseEncoder(Func<DenseEncoderDescription?> describe) => null;

    public IDisposable EnterFit(int trainingThreads) => FitProcessScope.Enter(TrainingThreadPolicy.LibtorchOnly(trainingThreads));
}
