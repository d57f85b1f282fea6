using System.Runtime.InteropServices;
using TorchSharp;
using Vae.MLNet.Backend;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Gemm;

/// <summary>
/// y = x·Wᵀ + b for a linear layer, as an autograd function whose three products (forward, ∂x and ∂W)
/// run in <see cref="PackedGemm"/> where that beats libtorch's MKL (AMD processors with AVX-512, and
/// <see cref="PackedGemm.ServesWith"/> libtorch's thread count: at two threads MKL's two threads beat the packed
/// product's one in the dense MNIST Transform); elsewhere, and for layers
/// too small for the difference to outweigh the call, libtorch computes it (<see cref="OwnKernels.Linear"/>). Parameters, their names and
/// the model file are the layer's own: only the arithmetic moves.
/// </summary>
internal sealed class PackedLinear : autograd.SingleTensorFunction<PackedLinear>
{
    /// <summary>Below this many multiply-adds a row batch's product is left to libtorch (the autograd function's call costs more than it saves).</summary>
    private const long MinimumWork = 1L << 22;

    private const string InputNeedsGradient = "input needs gradient";

    /// <summary>Whether the packed products serve this layer call: preferred here, float32 on the CPU, and enough work.</summary>
    public static bool Serves(Tensor input, Tensor weight, Tensor? bias) =>
        PackedGemm.ServesWith(get_num_threads()) && bias is not null && input.dim() == 2
        && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32 && bias.dtype == ScalarType.Float32
        && input.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && input.size(0) * weight.size(0) * weight.size(1) >= MinimumWork;

    public override string Name => nameof(PackedLinear);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = ((Tensor)vars[0]).contiguous();
        var weight = ((Tensor)vars[1]).contiguous();
        var bias = (Tensor)vars[2];
        ctx.save_for_backward([input, weight]);
        ctx.save_data(InputNeedsGradient, ((Tensor)vars[0]).requires_grad);
        int rows = (int)input.size(0), inputs = (int)weight.size(1), outputs = (int)weight.size(0);
        if (input.size(1) != inputs)
            throw new ArgumentException($"The layer takes {inputs} inputs; the batch has shape [{input.size(0)}, {input.size(1)}].");
        var output = empty(rows, outputs);
        unsafe
        {
            float* y = TensorMemory.Pointer(output);
            using var contiguousBias = bias.contiguous();
            var b = Values(contiguousBias);
            for (int r = 0; r < rows; r++) b.CopyTo(new Span<float>(y + (long)r * outputs, outputs));
            // y += x·Wᵀ: Wᵀ(i, o) = W[o · inputs + i].
            PackedGemm.Multiply(rows, outputs, inputs, new(TensorMemory.Pointer(input), inputs, 1), new(TensorMemory.Pointer(weight), 1, inputs), y, outputs, accumulate: true);
        }
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor outputGradient)
    {
        var saved = ctx.get_saved_variables();
        Tensor input = saved[0], weight = saved[1];
        using var dy = outputGradient.contiguous();
        int rows = (int)input.size(0), inputs = (int)weight.size(1), outputs = (int)weight.size(0);
        Tensor? inputGradient = null;
        var weightGradient = empty(outputs, inputs);
        unsafe
        {
            float* gradient = TensorMemory.Pointer(dy);
            if ((bool)ctx.get_data(InputNeedsGradient))
            {
                // ∂x = ∂y·W.
                inputGradient = empty(rows, inputs);
                PackedGemm.Multiply(rows, inputs, outputs, new(gradient, outputs, 1), new(TensorMemory.Pointer(weight), inputs, 1), TensorMemory.Pointer(inputGradient), inputs, accumulate: false);
            }
            // ∂W = ∂yᵀ·x: ∂yᵀ(o, r) = ∂y[r · outputs + o].
            PackedGemm.Multiply(outputs, inputs, rows, new(gradient, 1, outputs), new(TensorMemory.Pointer(input), inputs, 1), TensorMemory.Pointer(weightGradient), inputs, accumulate: false);
        }
        // Literal 0 would bind to sum(ScalarType): the dimension is named.
        return [inputGradient!, weightGradient, dy.sum(dim: 0)];
    }

    private static Span<float> Values(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);
}
