using System.Text.Json.Nodes;
using Microsoft.ML;
using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using Vae.MLNet.Training;
using static TorchSharp.torch;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Inference;

/// <summary>
/// FlowSteps and InferenceIterations as options of VaeEncode: refused values name the option, the saved fields are
/// checked on load, ONNX export refuses them, iterative inference trains end to end and bypasses the managed kernel.
/// </summary>
[TestClass]
public sealed class AmortizationGapOptionTests
{
    private static VaeOptions Small(Action<VaeOptions> change)
    {
        var o = new VaeOptions { LatentDimension = 2, HiddenDimensions = [16], Epochs = 3, BatchSize = 32, Seed = 2 };
        change(o);
        return o;
    }

    [TestMethod]
    public void BadValuesAndCombinationsAreRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var cases = new (Action<VaeOptions> Change, string Name)[]
        {
            (o => o.FlowSteps = -1, "FlowSteps"), (o => o.FlowSteps = 65, "FlowSteps"),
            (o => o.InferenceIterations = -1, "InferenceIterations"), (o => o.InferenceIterations = 101, "InferenceIterations"),
            (o => { o.FlowSteps = 2; o.FreeBits = 0.1; }, "FreeBits"),
            (o => { o.InferenceIterations = 2; o.ImportanceWeightedTraining = true; o.SamplesPerPoint = 2; }, "ImportanceWeightedTraining"),
            (o => { o.InferenceIterations = 2; o.InputCorruption = VaeInputCorruption.Masking; }, "InputCorruption"),
        };
        foreach (var (change, name) in cases)
        {
            var e = Assert.Throws<ArgumentException>(() => ml.Transforms.VaeEncode(Small(change)), name);
            StringAssert.Contains(e.ParamName + " " + e.Message, name);
        }
    }

    [TestMethod]
    public void SavedFlowAndIterationFieldsAreCheckedOnLoad()
    {
        var sample = ModelSamples.Vae;
        byte[] Edit(params (string Path, JsonNode? Value)[] edits) => ModelZip.EditSettings(sample.Bytes, c =>
        {
            foreach (var (path, value) in edits) ModelZip.Set(c, path, value);
        });
        ModelLoadCheck.ExpectRejected(Edit(("Spec/FlowSteps", -1)), sample.Data, "FlowSteps");
        ModelLoadCheck.ExpectRejected(Edit(("Spec/FlowSteps", 1000)), sample.Data, "FlowSteps");
        ModelLoadCheck.ExpectRejected(Edit(("Spec/FlowSteps", 2)), sample.Data, "FlowHiddenDimension");
        ModelLoadCheck.ExpectRejected(Edit(("Spec/FlowHiddenDimension", 5)), sample.Data, "FlowHiddenDimension");
        ModelLoadCheck.ExpectRejected(Edit(("Spec/InferenceIterations", 3)), sample.Data, "InferenceHiddenDimension");
        ModelLoadCheck.ExpectRejected(Edit(("Spec/InferenceIterations", -3)), sample.Data, "InferenceIterations");
        // Consistent fields, but the file has no weights for the flow (or model) they describe.
        ModelLoadCheck.ExpectRejected(Edit(("Spec/FlowSteps", 2), ("Spec/FlowHiddenDimension", 8)), sample.Data, "weights");
        ModelLoadCheck.ExpectRejected(Edit(("Spec/InferenceIterations", 2), ("Spec/InferenceHiddenDimension", 8)), sample.Data, "weights");
        ModelLoadCheck.ExpectRejected(Edit(("Spec/FlowSteps", 2), ("Spec/FlowHiddenDimension", 1 << 16), ("Spec/LatentDimension", 3000)), sample.Data, "weights");
    }

    [TestMethod]
    public void OnnxExportRefusesFlowsAndIterativeInferenceNamingTheOption()
    {
        var ml = new MLContext(seed: 5);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(64));
        foreach (var (change, name) in new (Action<VaeOptions>, string)[] { (o => o.FlowSteps = 2, "FlowSteps"), (o => o.InferenceIterations = 2, "InferenceIterations") })
        {
            using var vae = ml.Transforms.VaeEncode(Small(o => { o.Epochs = 1; change(o); })).Fit(data);
            var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(vae, data, new MemoryStream()));
            StringAssert.Contains(error.Message, name);
        }
    }

    private sealed class LatentRow
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
    }

    [TestMethod]
    public void IterativeLatentsDifferFromTheEncodersAndAgreeRowByRow()
    {
        var ml = new MLContext(seed: 4);
        var rows = SyntheticData.LinearGaussian(200);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.VaeEncode(Small(o => o.InferenceIterations = 3)).Fit(data);
        var batched = ml.Data.CreateEnumerable<LatentRow>(model.Transform(data), false, ignoreMissingColumns: true).ToArray();
        using var engine = ml.Model.CreatePredictionEngine<LabelledRow, LatentRow>(model);
        double moved = 0;
        for (int i = 0; i < rows.Length; i += 29)
        {
            // PredictionEngine's single rows (which would take the managed encoder kernel) and the batches agree.
            var single = engine.Predict(rows[i]).LatentMean;
            for (int j = 0; j < single.Length; j++) Assert.AreEqual(batched[i].LatentMean[j], single[j], 1e-4, $"row {i}, z{j}");
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (encoderMean, _) = model.Network.Encode(tensor(rows[i].Features, [1, rows[i].Features.Length]));
            moved += encoderMean.data<float>().ToArray().Zip(single, (a, b) => Math.Abs(a - b)).Sum();
        }
        Assert.IsTrue(moved > 1e-3, $"the iterations moved the latent means by {moved} in all: the column must hold the iterated posterior");
    }

    [TestMethod]
    public void IterativeTrainingReachesEveryPartAndImprovesOnItsEncoder()
    {
        var ml = new MLContext(seed: 4);
        var rows = SyntheticData.LinearGaussian(300, noise: 0.05);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.VaeEncode(Small(o => { o.InferenceIterations = 4; o.Epochs = 12; o.LatentDimension = 4; o.HiddenDimensions = [32]; o.LearningRate = 3e-3; })).Fit(data);
        var network = model.Network;

        // One training batch: the loss reaches the inference model, the encoder and the decoder.
        using (var scope = NewDisposeScope())
        {
            using var generator = new Generator(3);
            using var draws = Noise.Use(generator);
            var x = tensor(rows.Take(32).SelectMany(r => r.Features).ToArray(), [32, rows[0].Features.Length]);
            network.zero_grad();
            new TrainingObjective(network, new VaeOptions { InferenceIterations = 4, LatentDimension = 4 }).Compute(new Observation(x, null), 1).Loss.backward();
            foreach (var part in new[] { "iterative_inference.", "encoder.", "mean_head.", "log_variance_head.", "decoder." })
                Assert.IsTrue(network.named_parameters().Where(p => p.name.StartsWith(part, StringComparison.Ordinal)).Any(p => p.parameter.grad is { } g && g.abs().max().ToDouble() > 0),
                    $"{part} gets gradients");
            network.zero_grad();
        }

        // The trained iterations raise the ELBO above the encoder's own posterior (same network, same evaluation noise).
        var iterated = model.MeasureAmortizationGap(data, steps: 1, learningRate: 1e-9);
        using var encoderOnly = new VaeNetwork(network.Spec with { InferenceIterations = 0, InferenceHiddenDimension = 0 });
        var weights = network.state_dict();
        using (no_grad())
            foreach (var (name, t) in encoderOnly.state_dict()) t.copy_(weights[name]);
        encoderOnly.eval();
        var encoder = new Vae.MLNet.Inference.AmortizationGap(encoderOnly, new Vae.MLNet.Inference.VaeInferenceSettings(0, 0.01, 0))
            .Measure(new ArrayBatchSource(rows.Select(r => r.Features).ToArray()), 1, 1e-9, 1);
        Assert.IsTrue(iterated.AmortizedElbo > encoder.AmortizedElbo, $"iterated ELBO {iterated.AmortizedElbo} vs the encoder's {encoder.AmortizedElbo}");
    }
}
