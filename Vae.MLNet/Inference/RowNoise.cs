namespace Vae.MLNet.Inference;

/// <summary>
/// Standard normal noise seeded by each row's own values, so a row gets the same noise whatever batch it is in,
/// on any thread and in any run: stochastic per-row outputs (refined latents, anomaly scores) stay deterministic.
/// </summary>
internal static class RowNoise
{
    /// <summary>
    /// (count, rows, width) normals, row r's drawn from a generator seeded by a hash of its values and
    /// <paramref name="stream"/> (different uses take different streams, so their noise is independent).
    /// </summary>
    public static float[] Generate(ReadOnlySpan<float> rows, int rowCount, int dimension, int count, int width, int stream = 0)
    {
        long size = (long)count * rowCount * width;
        if (size > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(count), $"{count} samples × {rowCount} rows × {width} values do not fit in one buffer.");
        var noise = new float[size];
        for (int r = 0; r < rowCount; r++)
        {
            var random = new Random(Seed(rows.Slice(r * dimension, dimension)) ^ (stream * 0x5bd1e995));
            for (int c = 0; c < count; c++)
                for (int j = 0; j < width; j++)
                    noise[(c * rowCount + r) * width + j] = Normal(random);
        }
        return noise;
    }

    // FNV-1a over the values' bits, folded to 32 bits.
    private static int Seed(ReadOnlySpan<float> values)
    {
        ulong hash = 14695981039346656037UL;
        foreach (float v in values)
        {
            hash ^= BitConverter.SingleToUInt32Bits(v);
            hash *= 1099511628211UL;
        }
        return (int)(hash ^ (hash >> 32));
    }

    private static float Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
