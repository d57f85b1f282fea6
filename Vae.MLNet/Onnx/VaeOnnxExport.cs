using Microsoft.ML;
using Microsoft.ML.Model.OnnxConverter;
using TorchSharp.Modules;
using Vae.MLNet.Columns;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Onnx;

/// <summary>
/// The VAE's part of an ONNX model written by <c>mlContext.Model.ConvertToOnnx</c>: the encoder to the latent mean and
/// (clamped) log-variance, and the decoder of the mean to the reconstruction (the sigmoid of the logits for Bernoulli),
/// exactly what <see cref="VaeTransformer.Transform"/> computes. Settings whose outputs are drawn at random or optimized
/// per row have no ONNX form and are refused by name (see docs/onnx.md).
/// </summary>
internal sealed class VaeOnnxExport
{
    private readonly VaeNetwork _network;
    private readonly VaeColumnNames _columns;
    private readonly VaeInferenceSettings _inference;

    public VaeOnnxExport(VaeNetwork network, VaeColumnNames columns, VaeInferenceSettings inference)
    {
        _network = network;
        _columns = columns;
        _inference = inference;
    }

    /// <summary>Refuses, naming the option, what Transform computes that no fixed ONNX graph could.</summary>
    /// <exception cref="NotSupportedException">The model writes an anomaly score, refines its posterior per row, masks missing values or has slot likelihoods.</exception>
    public void CheckExportable()
    {
        if (_columns.AnomalyScore is { } score)
            throw new NotSupportedException(
                $"The VAE writes the anomaly-score column '{score}' (VaeOptions.AnomalyScoreColumnName), an estimate from random samples of z " +
                (_inference.AnomalyScoreImportanceSamples > 0 ? $"(the importance-weighted bound, AnomalyScoreImportanceSamples = {_inference.AnomalyScoreImportanceSamples})" : "(the ELBO)") +
                ", which has no ONNX form. Fit without AnomalyScoreColumnName to export; score anomalies from the exported Reconstruction instead.");
        if (_inference.RefinementSteps > 0)
            throw new NotSupportedException(
                $"The VAE refines each row's posterior with {_inference.RefinementSteps} gradient steps (VaeOptions.RefinementSteps), which has no ONNX form. " +
                "Fit with RefinementSteps = 0 to export the encoder's own posterior.");
        if (_network.Spec.InferenceIterations > 0)
            throw new NotSupportedException(
                $"The VAE refines each row's posterior with {_network.Spec.InferenceIterations} iterations of its inference model from the ELBO's gradient " +
                "(VaeOptions.InferenceIterations), which has no ONNX form. Fit with InferenceIterations = 0 to export.");
        if (_network.Spec.FlowSteps > 0)
            throw new NotSupportedException(
                $"The VAE's reconstruction decodes the image of μ under its {_network.Spec.FlowSteps}-step inverse-autoregressive flow (VaeOptions.FlowSteps), " +
                "which this exporter does not write. Fit with FlowSteps = 0 to export.");
        if (_network.Spec.MissingValues == VaeMissingValues.Mask)
            throw new NotSupportedException(
                "The VAE takes NaN as missing values with a mask channel beside its input (VaeOptions.MissingValues = Mask), which this ONNX export does not write. " +
                "Fit with MissingValues = Refuse (after ReplaceMissingValues) to export.");
        if (_network.Spec.SlotLikelihoods is { Length: > 0 })
            throw new NotSupportedException(
                "The VAE's reconstruction has per-slot distributions (VaeOptions.SlotLikelihoods: sigmoid and per-group softmax), which this ONNX export does not write. " +
                "Fit without SlotLikelihoods to export.");
    }

    /// <summary>Writes the VAE's nodes reading the ONNX variables of its input (and condition) column, and declares its three output columns.</summary>
    /// <param name="context">The conversion's context.</param>
    /// <param name="schema">The VAE's output schema (the types of its added columns).</param>
    public void Write(OnnxContext context, DataViewSchema schema)
    {
        CheckExportable();
        string x = InputVariable(context, _columns.Input, "input");
        string? condition = _columns.Condition is { } c ? Condition(context, c) : null;
        var graph = new OnnxGraph(context, $"Vae.{_columns.Mean}");
        // Outputs are declared after the inputs were read, so an output that reuses an input's name hides it only downstream.
        string mean = context.AddIntermediateVariable(schema[_columns.Mean].Type, _columns.Mean);
        string logVariance = context.AddIntermediateVariable(schema[_columns.LogVariance].Type, _columns.LogVariance);
        string reconstruction = context.AddIntermediateVariable(schema[_columns.Reconstruction].Type, _columns.Reconstruction);

        var modules = _network.named_children().ToDictionary(m => m.name, m => m.module);
        string features = Encoder(graph, Module(modules, "encoder"), x, condition);
        OnnxLayers.Gemm(graph, Module<Linear>(modules, "mean_head"), features, "mean_head", mean);
        string rawLogVariance = OnnxLayers.Gemm(graph, Module<Linear>(modules, "log_variance_head"), features, "log_variance_head");
        // clamp(min, max) as Min(Max(·)): Clip moved its bounds from attributes to inputs at opset 11; these two did not change.
        var spec = _network.Spec;
        string floored = graph.Node("Max", [rawLogVariance, graph.Constant([(float)spec.LogVarianceMin], [1], "log_variance_min")]);
        graph.Node("Min", [floored, graph.Constant([(float)spec.LogVarianceMax], [1], "log_variance_max")], logVariance);

        string decoderInput = condition is null ? mean : graph.Node("Concat", [mean, condition], attributes: n => n.AddAttribute("axis", 1L));
        string output = OnnxLayers.Write(graph, Module(modules, "decoder"), decoderInput, "decoder");
        if (spec.Architecture == VaeArchitecture.Convolutional)
            output = graph.Node("Flatten", [output], attributes: n => n.AddAttribute("axis", 1L));
        graph.Node(spec.Likelihood == VaeLikelihood.Bernoulli ? "Sigmoid" : "Identity", [output], reconstruction);
    }

    /// <summary>The encoder body's output as the heads read it: images reshaped to (rows, C, H, W), the condition appended where the network appends it.</summary>
    private string Encoder(OnnxGraph graph, nn.Module encoder, string x, string? condition)
    {
        var spec = _network.Spec;
        if (spec.Architecture == VaeArchitecture.Convolutional)
        {
            int[] s = spec.ImageShape!;
            string image = OnnxLayers.Reshape(graph, x, [-1, s[0], s[1], s[2]], "image");
            string body = OnnxLayers.Write(graph, encoder, image, "encoder");
            return condition is null ? body : graph.Node("Concat", [body, condition], attributes: n => n.AddAttribute("axis", 1L));
        }
        string input = condition is null ? x : graph.Node("Concat", [x, condition], attributes: n => n.AddAttribute("axis", 1L));
        return OnnxLayers.Write(graph, encoder, input, "encoder");
    }

    /// <summary>
    /// The condition as the networks read it: a vector column as it is; a key column (UInt32, 1-based, as ML.NET's
    /// ONNX writes keys) one-hot, by comparing the key with 1..K. A key of 0 (missing) gives all zeros, where
    /// Transform refuses the row.
    /// </summary>
    private static string Condition(OnnxContext context, ConditionColumn condition)
    {
        string variable = InputVariable(context, condition.Name, "condition");
        if (!condition.IsKey) return variable;
        var graph = new OnnxGraph(context, $"Vae.{condition.Name}");
        string key = graph.Node("Cast", [variable], attributes: n => n.AddAttribute("to", typeof(long)));
        string classes = graph.Int64s(Enumerable.Range(1, condition.Size).Select(k => (long)k).ToArray(), [1, condition.Size], "keys");
        string equal = graph.Node("Equal", [key, classes]);
        return graph.Node("Cast", [equal], attributes: n => n.AddAttribute("to", typeof(float)));
    }

    /// <exception cref="InvalidOperationException">The column has no ONNX variable (an earlier step could not be exported).</exception>
    private static string InputVariable(OnnxContext context, string column, string role)
    {
        if (!context.ContainsColumn(column))
            throw new InvalidOperationException(
                $"The VAE's {role} column '{column}' has no value in the ONNX graph: the step that makes it was not exported (check that every step before the VAE can be converted to ONNX).");
        return context.GetVariableName(column);
    }

    private static nn.Module Module(Dictionary<string, nn.Module> modules, string name) =>
        modules.TryGetValue(name, out var module) ? module : throw new NotSupportedException($"The VAE's network has no module '{name}' to export.");

    private static T Module<T>(Dictionary<string, nn.Module> modules, string name) where T : nn.Module =>
        Module(modules, name) as T ?? throw new NotSupportedException($"The VAE's module '{name}' is a {modules[name].GetType().Name}, not a {typeof(T).Name}.");
}
