using TorchSharp;

namespace Vae.MLNet.Tests.Support;

/// <summary>Comparisons of tensors with expected values, within a tolerance, with the first differing index in the message.</summary>
internal static class TensorChecks
{
    public static void Close(double[] expected, torch.Tensor actual, double tolerance)
    {
        using var asDouble = actual.detach().to_type(torch.ScalarType.Float64).contiguous();
        var values = asDouble.data<double>().ToArray();
        Assert.HasCount(expected.Length, values, $"shape [{string.Join(", ", actual.shape)}]");
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], values[i], tolerance, $"index {i}");
    }

    public static void Shape(long[] expected, torch.Tensor actual) =>
        CollectionAssert.AreEqual(expected, actual.shape, $"shape [{string.Join(", ", actual.shape)}]");

    /// <summary>Two float vectors equal within <paramref name="tolerance"/> per value (results of different kernel shapes differ in the last bits).</summary>
    public static void Close(float[] expected, float[] actual, double tolerance, string message = "")
    {
        Assert.HasCount(expected.Length, actual, message);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance, $"{message} index {i}");
    }
}
