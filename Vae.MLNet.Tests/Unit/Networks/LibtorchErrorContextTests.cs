using TorchSharp;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Networks;

/// <summary>A libtorch error inside the network arrives as a managed exception that names the part and the shapes.</summary>
[TestClass]
public sealed class LibtorchErrorContextTests
{
    private static VaeNetwork Network() => new(new VaeNetworkSpec
    {
        Architecture = VaeArchitecture.Mlp, Likelihood = VaeLikelihood.Bernoulli, InputDimension = 7, LatentDimension = 3, HiddenDimensions = [5],
    }, new Generator(1));

    [TestMethod]
    public void AnEncoderShapeErrorNamesTheEncoderAndTheShape()
    {
        using var network = Network();
        using var x = zeros(2, 5);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => network.Encode(x));
        StringAssert.Contains(error.Message, "encoder");
        StringAssert.Contains(error.Message, "[2, 5]");
        Assert.IsInstanceOfType<System.Runtime.InteropServices.ExternalException>(error.InnerException);
    }

    [TestMethod]
    public void ADecoderShapeErrorNamesTheDecoderAndTheShape()
    {
        using var network = Network();
        using var z = zeros(4, 2);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => network.Decode(z));
        StringAssert.Contains(error.Message, "decoder");
        StringAssert.Contains(error.Message, "[4, 2]");
    }
}
