using System.Numerics;

namespace Vae.MLNet.Columns;

/// <summary>A vectorized scan for the input checks: only when it fails do callers walk the values to say what and where.</summary>
internal static class InputRange
{
    /// <summary>Whether every value lies in [low, high]; NaN fails both comparisons, so it never does.</summary>
    public static bool AllWithin(ReadOnlySpan<float> values, float low, float high)
    {
        var lowVector = new Vector<float>(low);
        var highVector = new Vector<float>(high);
        int i = 0, width = Vector<float>.Count;
        for (; i <= values.Length - width; i += width)
        {
            var v = new Vector<float>(values.Slice(i, width));
            if (!Vector.GreaterThanOrEqualAll(v, lowVector) || !Vector.LessThanOrEqualAll(v, highVector))
                return false;
        }
        for (; i < values.Length; i++)
            if (!(values[i] >= low && values[i] <= high)) return false;
        return true;
    }
}
