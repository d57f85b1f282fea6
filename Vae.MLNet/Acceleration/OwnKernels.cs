using TorchSharp.Modules;
using Vae.MLNet.Acceleration.Convolutions;
using Vae.MLNet.Acceleration.Encoder;
using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Acceleration.Optimizer;
using Vae.MLNet.Runtime;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration;

/// <summary>
/// The library's hand-written kernels wherever they serve, chosen per call as the benchmarks found them faster, and
/// libtorch elsewhere: the packed products (<see cref="PackedLinear"/>, <see cref="PackedConvolution"/>) on AMD
/// processors with AVX-512 where <see cref="PackedGemm.ServesWith"/> libtorch's thread count, the few-row and sparse
/// encoder (<see cref="MlpEncoderKernel"/>) and the fused Adam step (<see cref="FusedAdamStep"/>) everywhere, and during
/// a Fit the packed kernels' second thread (<see cref="HelperThread"/>) where libtorch's would compete with it.
/// </summary>
internal sealed class OwnKernels : IAcceleration
{
    public static readonly OwnKernels Instance = new(null);

    private readonly ConvolutionPath? _convolutionPath;

    /// <param name="convolutionPath">The strided layers' path (tests); null: <see cref="ConvolutionPaths.Accelerated"/> per call.</param>
    internal OwnKernels(ConvolutionPath? convolutionPath) => _convolutionPath = convolutionPath;

    /// <summary>Steps with TorchSharp's <c>Adam.step</c> instead of <see cref="FusedAdamStep"/>: the benchmarks' before figure.</summary>
    internal static bool UseTorchSharpAdamStep { get; set; }

    public bool UsesOwnKernels => true;

    public Tensor Linear(Tensor input, Tensor weight, Tensor? bias) =>
        PackedLinear.Serves(input, weight, bias) ? PackedLinear.apply(input, weight, bias!) : nn.functional.linear(input, weight, bias);

    public Tensor StridedConvolution(Tensor input, Tensor weight, Tensor bias) =>
        ConvolutionPaths.Convolve(_convolutionPath ?? ConvolutionPaths.Accelerated, input, weight, bias);

    public Tensor StridedTransposedConvolution(Tensor input, Tensor weight, Tensor bias, long[] outputPadding) =>
        ConvolutionPaths.ConvolveTransposed(_convolutionPath ?? ConvolutionPaths.Accelerated, input, weight, bias, outputPadding);

    public IAdamStep AdamStep(Adam optimizer, IEnumerable<Parameter> parameters, double learningRate) =>
        UseTorchSharpAdamStep ? new TorchSharpAdamStep(optimizer)
        : (IAdamStep?)FusedAdamStep.TryCreate(optimizer, parameters, learningRate) ?? new LibtorchAdamStep(optimizer, parameters, learningRate);

    public IDenseEncoder? DenseEncoder(Func<DenseEncoderDescription?> describe) => new LazyEncoderKernel(describe);

    public IDisposable EnterFit(int trainingThreads) =>
        new KernelFitScope(TrainingThreadPolicy.WithOwnKernels(trainingThreads, get_num_threads(), PackedGemm.IsPreferred));
}
