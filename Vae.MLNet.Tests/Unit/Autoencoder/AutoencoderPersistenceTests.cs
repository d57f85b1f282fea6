using System.Text.Json.Nodes;
using Microsoft.ML;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Autoencoder;

/// <summary>
/// The autoencoder in ML.NET's model zip: a pipeline round trip in a fresh MLContext gives the same outputs bit for bit
/// with the history kept, and a damaged or hostile Autoencoder.json or Weights.bin is refused naming the entry.
/// </summary>
[TestClass]
public sealed class AutoencoderPersistenceTests
{
    private const string Settings = "Autoencoder.json";

    private static readonly Lazy<byte[]> Saved = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var view = AutoencoderData.View(ml);
        var model = ml.Transforms.AutoencoderEncode(AutoencoderData.Options(o => { o.Epochs = 3; o.HiddenDimensions = [16, 8]; o.LatentActivation = AutoencoderLatentActivation.Sigmoid; }))
            .Append(ml.Transforms.Concatenate("Both", "Latent", "Reconstruction")).Fit(view);
        using var stream = new MemoryStream();
        ml.Model.Save(model, view.Schema, stream);
        ModelLoadCheck.Dispose(model);
        return stream.ToArray();
    });

    private static IDataView Data => AutoencoderData.View(new MLContext(seed: 1), AutoencoderData.Data.Value.Features[..20]);

    [TestMethod]
    public void APipelineRoundTripsThroughTheModelZip()
    {
        var ml = new MLContext(seed: 1);
        var view = AutoencoderData.View(ml);
        var model = ml.Transforms.AutoencoderEncode(AutoencoderData.Options(o => { o.Epochs = 3; o.Sparsity = AutoencoderSparsity.L1; o.ContractiveWeight = 0.1; })).Fit(view);
        string path = Path.Combine(Path.GetTempPath(), $"autoencoder-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, view.Schema, path);
            var loaded = (AutoencoderTransformer)new MLContext().Model.Load(path, out _);
            using (loaded)
            {
                CollectionAssert.AreEqual(TabularData.Column(model.Transform(view), "Latent").SelectMany(r => r).ToArray(),
                    TabularData.Column(loaded.Transform(view), "Latent").SelectMany(r => r).ToArray());
                CollectionAssert.AreEqual(TabularData.Column(model.Transform(view), "Reconstruction")[3], TabularData.Column(loaded.Transform(view), "Reconstruction")[3]);
                CollectionAssert.AreEqual(model.TrainingHistory.ToArray(), loaded.TrainingHistory.ToArray());
                Assert.AreEqual((3, 26, "Latent"), (loaded.LatentDimension, loaded.InputDimension, loaded.LatentColumnName));
            }
        }
        finally
        {
            model.Dispose();
            File.Delete(path);
        }
        // A chain with the autoencoder inside loads and transforms too.
        ModelLoadCheck.ExpectClean("autoencoder-chain", Saved.Value, Data, "the saved chain");
    }

    private static byte[] Edit(string path, JsonNode? value) => ModelZip.EditSettings(Saved.Value, c => ModelZip.Set(c, path, value), Settings);

    [TestMethod]
    public void SettingsFitWouldRefuseAreRefusedOnLoad()
    {
        var cases = new (string Path, JsonNode? Value, string Fragment)[]
        {
            ("Spec/LatentDimension", -1, "LatentDimension"), ("Spec/InputDimension", 0, "InputDimension"), ("Spec/HiddenDimensions/1", 0, "HiddenDimensions"),
            ("Spec/LatentActivation", 9, "LatentActivation"), ("Spec/Likelihood", 7, "Likelihood"), ("Columns/Latent", "Reconstruction", "must differ"),
            ("Columns/Input", " ", "name"), ("History/0", null, "null in the training history"), ("Spec", null, "Spec"),
            // 2^30 hidden units: refused by its weight count before anything is allocated.
            ("Spec/HiddenDimensions/0", 1 << 30, "weights"),
        };
        foreach (var (path, value, fragment) in cases)
            ModelLoadCheck.ExpectRejected(Edit(path, value), Data, Settings, fragment);
    }

    [TestMethod]
    public void DamagedEntriesAreRefusedNamingThem()
    {
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Saved.Value, Settings, b => [.. b.Select((x, i) => i == 40 ? (byte)(x ^ 1) : x)], reseal: false, settings: Settings),
            Data, Settings, "checksum mismatch");
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Saved.Value, ModelZip.Weights, b => b[..(b.Length / 2)], settings: Settings), Data, ModelZip.Weights);
        ModelLoadCheck.ExpectRejected(Edit("Spec/HiddenDimensions/0", 17), Data, "shape");
        ModelLoadCheck.ExpectRejected(ModelZip.EditSettings(Saved.Value, c => c["Spec"]!.AsObject().Remove("LatentActivation"), Settings), Data, Settings, "LatentActivation");
    }
}
