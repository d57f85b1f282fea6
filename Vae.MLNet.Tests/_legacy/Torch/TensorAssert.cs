using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

internal static class TensorAssert
{
    public static void Close(double[] expected, double[] actual, double tolerance = 1e-6, string? what = null)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}: element {i}");
    }

    public static void CloseFloats(float[] expected, torch.Tensor actual, double tolerance = 1e-5) =>
        Close(expected.Select(v => (double)v).ToArray(), actual.data<float>().ToArray().Select(v => (double)v).ToArray(), tolerance);

    public static void Close(double[] expected, torch.Tensor actual, double tolerance = 1e-6) =>
        Close(expected, actual.to(torch.ScalarType.Float64).data<double>().ToArray(), tolerance);

    public static void Shape(long[] expected, torch.Tensor actual) =>
        CollectionAssert.AreEqual(expected, actual.shape, $"shape {string.Join("x", actual.shape)}");
}
