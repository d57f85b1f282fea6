using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Runtime;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Convolutions;

/// <summary>
/// Whether libtorch's own convolution kernels compute the strided layers right in this process: checked once, on the
/// first convolutional forward pass, against the unfold/fold path on the shapes where libtorch 2.10's AVX-512 oneDNN
/// kernels were seen wrong (few channels, 24 and 48 channels, small images), outputs and gradients of input and weight.
/// The check takes a few milliseconds and draws from its own generator, so it changes no random stream. It is the
/// second guard: where the kernels are known wrong (AVX-512 on AMD, <see cref="OneDnnKernels"/>), the layers do not
/// use them whatever it finds, since the wrong results vary from run to run.
/// </summary>
internal static class NativeConvolutions
{
    // (rows, in, out, size): the shapes of the wrong results, and the benchmark's 32 → 64 → 32 layers.
    private static readonly (int Rows, int In, int Out, int Size)[] Shapes =
        [(4, 1, 8, 14), (4, 8, 1, 7), (4, 32, 1, 14), (4, 3, 16, 9), (4, 24, 48, 7), (4, 48, 24, 7), (2, 32, 64, 7)];

    // Float32 with another summation order differs by ~1e-6 of the values; the wrong results were off by up to 0.6.
    private const double Tolerance = 1e-4;

    private static readonly Lazy<bool> Verified = new(Check, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when conv2d and conv_transpose2d agreed with the unfold/fold path on every checked shape.</summary>
    public static bool AreRight => Verified.Value;

    /// <summary>Whether the strided layers may use libtorch's kernels: not where they are known wrong, and only where the check found them right.</summary>
    public static bool AreUsed => !OneDnnKernels.AreAvoided && AreRight;

    private static bool Check()
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        using var generator = new TorchSharp.torch.Generator(20261207);
        long[] noPadding = [0, 0];
        foreach (var (rows, inChannels, outChannels, size) in Shapes)
        {
            var x = randn(new long[] { rows, inChannels, size, size + 1 }, generator: generator);
            var convolutionWeight = randn(new long[] { outChannels, inChannels, 4, 4 }, generator: generator);
            var transposedWeight = randn(new long[] { inChannels, outChannels, 4, 4 }, generator: generator);
            var bias = randn(new long[] { outChannels }, generator: generator);
            if (!Agree(x, convolutionWeight, bias, ConvolutionPaths.Native, ConvolutionPaths.Unfolded)
                || !Agree(x, transposedWeight, bias,
                    (input, w, b) => ConvolutionPaths.NativeTransposed(input, w, b, noPadding),
                    (input, w, b) => ConvolutionPaths.Folded(input, w, b, noPadding)))
                return false;
        }
        return true;
    }

    private static bool Agree(Tensor x, Tensor weight, Tensor bias, Func<Tensor, Tensor, Tensor, Tensor> native, Func<Tensor, Tensor, Tensor, Tensor> reference)
    {
        var (nativeOutput, nativeGradients) = Evaluate(x, weight, bias, native);
        var (expectedOutput, expectedGradients) = Evaluate(x, weight, bias, reference);
        if (!Close(nativeOutput, expectedOutput)) return false;
        for (int i = 0; i < expectedGradients.Count; i++)
            if (!Close(nativeGradients[i], expectedGradients[i])) return false;
        return true;
    }

    // The output and the gradients of Σ output² / 2 for the input and the weight.
    private static (Tensor output, IList<Tensor> gradients) Evaluate(Tensor x, Tensor weight, Tensor bias, Func<Tensor, Tensor, Tensor, Tensor> layer)
    {
        var input = x.detach().requires_grad_(true);
        var w = weight.detach().requires_grad_(true);
        var output = layer(input, w, bias);
        return (output.detach(), autograd.grad([output], [input, w], [output.detach()]));
    }

    private static bool Close(Tensor actual, Tensor expected)
    {
        double scale = Math.Max(1, expected.abs().max().ToDouble());
        return actual.Minus(expected).abs().max().ToDouble() <= Tolerance * scale;
    }
}
