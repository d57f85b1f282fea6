using TorchSharp;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// The rule of Backend/Scalars.cs, enforced on the compiled library: no temporary TorchSharp Scalar anywhere (another
/// thread's garbage collection can finalize one while libtorch reads it). Use the static Scalars, Plus/Minus/Squared,
/// or <c>using var s = x.ToScalar();</c>.
/// </summary>
[TestClass]
public sealed class TemporaryScalarTests
{
    [TestMethod]
    public void TheLibraryMakesNoTemporaryScalar()
    {
        var findings = TemporaryScalarScan.Scan(typeof(VaeTransformer).Assembly.Location);
        Assert.IsEmpty(findings, $"{findings.Count} temporary TorchSharp Scalars in Vae.MLNet:{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
    }

    [TestMethod]
    public void TheReportMakesNoTemporaryScalar()
    {
        var findings = TemporaryScalarScan.Scan(typeof(Vae.MLNet.Reporting.VaeReport).Assembly.Location);
        Assert.IsEmpty(findings, $"{findings.Count} temporary TorchSharp Scalars in Vae.MLNet.Reporting:{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
    }

    /// <summary>The scan itself: it finds both kinds of temporary in a method made for it, and passes the allowed forms.</summary>
    [TestMethod]
    public void TheScanFindsImplicitConversionsAndImplicitAlphas()
    {
        var findings = TemporaryScalarScan.Scan(typeof(TemporaryScalarTests).Assembly.Location)
            .Where(f => f.Method.Contains(nameof(ScalarSamples), StringComparison.Ordinal)).ToArray();
        string all = string.Join(Environment.NewLine, findings);
        // pow(Scalar) given a double: the conversion is in our IL; tensor * double: TorchSharp converts inside.
        Assert.IsTrue(findings.Any(f => f.Method.Contains(nameof(ScalarSamples.ImplicitConversion)) && f.Call.Contains("op_Implicit")), all);
        Assert.IsTrue(findings.Any(f => f.Method.Contains(nameof(ScalarSamples.ImplicitConversion)) && f.Call.Contains("op_Multiply")), all);
        Assert.IsTrue(findings.Any(f => f.Method.Contains(nameof(ScalarSamples.ImplicitAlpha)) && f.Call.Contains("op_Addition")), all);
        Assert.IsTrue(findings.Any(f => f.Method.Contains(nameof(ScalarSamples.ImplicitAlpha)) && f.Call.Contains("square")), all);
        Assert.IsTrue(findings.All(f => f.Source?.Contains(nameof(TemporaryScalarTests)) == true), $"no source line: {all}");
        Assert.IsFalse(findings.Any(f => f.Method.Contains(nameof(ScalarSamples.Allowed))), all);
    }
}

/// <summary>Methods the scan is tried on (never run).</summary>
internal static class ScalarSamples
{
    public static TorchSharp.torch.Tensor ImplicitConversion(TorchSharp.torch.Tensor t) => t.pow(3.0) * 0.5;

    public static TorchSharp.torch.Tensor ImplicitAlpha(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => (a + b).square();

    public static TorchSharp.torch.Tensor Allowed(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b, double weight)
    {
        using var scalar = weight.ToScalar();
        return Vae.MLNet.Backend.Scalars.Plus(a.mul(scalar), b.mul(b));
    }
}
