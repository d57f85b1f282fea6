namespace Vae.MLNet.Reporting.Imaging;

/// <summary>The values shown as black and white (per channel); values outside are clamped.</summary>
internal readonly record struct ValueRange(float Min, float Max)
{
    /// <summary>[0, 1] when every finite value lies in it (pixel intensities), otherwise the values' own range.</summary>
    public static ValueRange Of(IEnumerable<float[]> images)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var image in images)
            foreach (float v in image)
                if (float.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (min > max) return new(0, 1);
        return min >= 0 && max <= 1 ? new(0, 1) : new(min, max > min ? max : min + 1);
    }

    /// <summary>The 8-bit intensity of <paramref name="value"/>.</summary>
    public byte ToByte(float value)
    {
        if (!float.IsFinite(value)) return 0;
        double t = (value - Min) / (Max - Min);
        return (byte)Math.Round(255 * Math.Clamp(t, 0, 1));
    }
}
