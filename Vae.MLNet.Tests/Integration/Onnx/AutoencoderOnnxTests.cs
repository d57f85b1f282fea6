using Microsoft.ML;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Onnx;

/// <summary>ConvertToOnnx of an autoencoder refuses, instead of exporting a graph that takes the autoencoder's outputs as inputs.</summary>
[TestClass]
public sealed class AutoencoderOnnxTests
{
    [TestMethod]
    public void ConvertToOnnxRefusesNamingTheAutoencoder()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(CombinationData.Rows(24, missing: false).Select(r => new CombinationFeatures { Features = r.Features }));
        using var model = ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = 8 }).Fit(data);
        var error = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(model, data, new MemoryStream()));
        StringAssert.Contains(error.Message, "AutoencoderEncode has no ONNX export");
        var pipeline = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1 })).Fit(data);
        Assert.Throws<NotSupportedException>(() => ml.Model.ConvertToOnnx(pipeline, data, new MemoryStream()), "inside a pipeline too");
    }
}
