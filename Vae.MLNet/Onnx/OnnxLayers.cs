using TorchSharp.Modules;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Onnx;

/// <summary>
/// Writes TorchSharp modules as ONNX nodes of opset 9 or later (the converter's range is 9 to 12), in evaluation mode:
/// batch norm uses its running statistics. Every module the VAE's networks are built of has a form here; any other
/// module is refused by name and type, so a change to the networks cannot export a graph that silently differs.
/// </summary>
internal static class OnnxLayers
{
    /// <summary>Writes <paramref name="module"/> applied to <paramref name="input"/>; returns the variable holding its output.</summary>
    /// <param name="graph">Where the nodes go.</param>
    /// <param name="module">The module (a Sequential is written child by child).</param>
    /// <param name="input">The variable the module reads.</param>
    /// <param name="path">The module's path in the network ("encoder.0"), naming its initializers and any error.</param>
    /// <exception cref="NotSupportedException">A module has no ONNX form here.</exception>
    public static string Write(OnnxGraph graph, nn.Module module, string input, string path) => module switch
    {
        Sequential => module.named_children().Aggregate(input, (x, child) => Write(graph, child.module, x, $"{path}.{child.name}")),
        Linear linear => Gemm(graph, linear, input, path),
        LinearLayer linear => Gemm(graph, linear.Weight, linear.Bias, input, path),
        BatchNorm batchNorm => BatchNormalization(graph, batchNorm, input, path),
        ReLU => graph.Node("Relu", [input]),
        StridedConvolution conv => StridedLayer(graph, conv, "Conv", null, input, path),
        StridedTransposedConvolution transposed => StridedLayer(graph, transposed, "ConvTranspose", transposed.OutputPadding, input, path),
        Flatten { start_dim: 1, end_dim: -1 } => graph.Node("Flatten", [input], attributes: n => n.AddAttribute("axis", 1L)),
        Unflatten { dim: 1 } unflatten => Reshape(graph, input, [-1, .. unflatten.unflattened_size], path),
        _ => throw new NotSupportedException(
            $"The VAE's module '{path}' ({module.GetType().Name}) has no ONNX form in Vae.MLNet's export; the network cannot be exported."),
    };

    /// <summary>Reshape to <paramref name="shape"/> (−1 keeps the row count free).</summary>
    public static string Reshape(OnnxGraph graph, string input, long[] shape, string path) =>
        graph.Node("Reshape", [input, graph.Int64s(shape, [shape.Length], $"{path}.shape")]);

    /// <summary>y = x·Wᵀ + b as one Gemm, with W as TorchSharp keeps it, (out, in).</summary>
    public static string Gemm(OnnxGraph graph, Linear linear, string input, string path, string? output = null) =>
        Gemm(graph, linear.weight!, linear.bias, input, path, output);

    /// <summary>y = x·Wᵀ + b as one Gemm, W (out, in); <paramref name="bias"/> null for none.</summary>
    public static string Gemm(OnnxGraph graph, Tensor weight, Tensor? bias, string input, string path, string? output = null)
    {
        // Opset 9's Gemm needs its C input, so a bias-free layer gets zeros.
        long outputs = weight.size(0);
        string c = bias is { } b ? graph.Constant(b, $"{path}.bias") : graph.Constant(new float[outputs], [outputs], $"{path}.bias");
        return graph.Node("Gemm", [input, graph.Constant(weight, $"{path}.weight"), c], output, n => n.AddAttribute("transB", 1L));
    }

    private static string BatchNormalization(OnnxGraph graph, BatchNorm norm, string input, string path)
    {
        if (norm.running_mean is null || norm.running_var is null)
            throw new NotSupportedException($"The VAE's batch norm '{path}' keeps no running statistics, so its evaluation-mode output has no fixed ONNX form.");
        long features = norm.num_features;
        string scale = norm.weight is { } w ? graph.Constant(w, $"{path}.weight") : graph.Constant(Enumerable.Repeat(1f, (int)features).ToArray(), [features], $"{path}.weight");
        string shift = norm.bias is { } b ? graph.Constant(b, $"{path}.bias") : graph.Constant(new float[features], [features], $"{path}.bias");
        return graph.Node("BatchNormalization",
            [input, scale, shift, graph.Constant(norm.running_mean, $"{path}.running_mean"), graph.Constant(norm.running_var, $"{path}.running_var")],
            attributes: n => n.AddAttribute("epsilon", norm.eps));
    }

    /// <summary>The VAE's 4×4, stride-2, padding-1 layers: Conv, or ConvTranspose with the layer's own output padding.</summary>
    private static string StridedLayer(OnnxGraph graph, nn.Module layer, string opType, IReadOnlyList<long>? outputPadding, string input, string path)
    {
        var weight = layer.get_parameter("weight")!;
        var inputs = new List<string> { input, graph.Constant(weight, $"{path}.weight") };
        if (layer.get_parameter("bias") is { } bias) inputs.Add(graph.Constant(bias, $"{path}.bias"));
        long stride = ConvolutionalLayers.Stride, padding = ConvolutionalLayers.Padding;
        return graph.Node(opType, inputs, attributes: n =>
        {
            n.AddAttribute("kernel_shape", weight.shape[2..]);
            n.AddAttribute("strides", new[] { stride, stride });
            n.AddAttribute("pads", new[] { padding, padding, padding, padding });
            if (outputPadding is not null) n.AddAttribute("output_padding", outputPadding);
        });
    }
}
