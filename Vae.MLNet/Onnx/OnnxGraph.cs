using Microsoft.ML.Model.OnnxConverter;
using static TorchSharp.torch;

namespace Vae.MLNet.Onnx;

/// <summary>
/// The few things the VAE's export asks of ML.NET's <see cref="OnnxContext"/> (internal to Microsoft.ML.Data, reached
/// through the publicized reference as Persistence/ reaches the model zip): standard-domain nodes, fresh variable
/// names and float/int64 initializers, all named under one prefix so two VAEs in one pipeline cannot collide.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly OnnxContext _context;
    private readonly string _prefix;

    /// <param name="context">ML.NET's ONNX context of the conversion under way.</param>
    /// <param name="prefix">The start of every name this graph adds (the VAE's mean column, so it reads in a viewer).</param>
    public OnnxGraph(OnnxContext context, string prefix)
    {
        _context = context;
        _prefix = prefix;
    }

    /// <summary>A fresh variable for an intermediate value (ONNX infers its shape).</summary>
    public string Variable(string name) => _context.AddIntermediateVariable(null, $"{_prefix}.{name}", skip: true);

    /// <summary>An initializer holding <paramref name="tensor"/>'s values (float32, copied off the device), shaped as the tensor.</summary>
    public string Constant(Tensor tensor, string name)
    {
        using var cpu = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return _context.AddInitializer(cpu.data<float>().ToArray(), cpu.shape, $"{_prefix}.{name}");
    }

    /// <summary>A float32 initializer of the given shape.</summary>
    public string Constant(float[] values, long[] shape, string name) => _context.AddInitializer(values, shape, $"{_prefix}.{name}");

    /// <summary>An int64 initializer of the given shape (shapes for Reshape, keys to compare against).</summary>
    public string Int64s(long[] values, long[] shape, string name) => _context.AddInitializer(values, shape, $"{_prefix}.{name}");

    /// <summary>
    /// A node of the standard ONNX domain reading <paramref name="inputs"/>, writing <paramref name="output"/> (a fresh
    /// variable named after the op when null); <paramref name="attributes"/> sets its attributes. Returns the output.
    /// </summary>
    public string Node(string op, IReadOnlyList<string> inputs, string? output = null, Action<OnnxNode>? attributes = null)
    {
        output ??= Variable(op);
        var node = _context.CreateNode(op, inputs, [output], _context.GetNodeName($"{_prefix}.{op}"), "");
        attributes?.Invoke(node);
        return output;
    }
}
