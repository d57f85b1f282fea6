namespace Vae.MLNet.Tests.Support;

/// <summary>Element-wise float comparison for CollectionAssert.</summary>
internal sealed class Tolerance(float tolerance) : System.Collections.IComparer
{
    public int Compare(object? x, object? y) => Math.Abs((float)x! - (float)y!) <= tolerance * Math.Max(1, Math.Abs((float)x!)) ? 0 : 1;
}
