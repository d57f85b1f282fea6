namespace Vae.MLNet.Inference;

/// <summary>
/// Standard normal noise seeded by each row's own values, so a row gets the same noise whatever batch it is in,
/// on any thread and in any run: stochastic per-row outputs (refined latents, anomaly scores) stay deterministic.
/// Drawn all at once (<see cref="Generate"/>) or chunk by chunk (<see cref="RowNoiseStream"/>): row r's draws are
/// the same sequence either way, so chunking changes no value.
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
        new RowNoiseStream(rows, rowCount, dimension, width, stream).Next(count, noise);
        return noise;
    }

    /// <summary>Row <paramref name="values"/>'s generator for <paramref name="stream"/>.</summary>
    internal static Random Generator(ReadOnlySpan<float> values, int stream) => new(Seed(values) ^ (stream * 0x5bd1e995));

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

    internal static float Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}

/// <summary>
/// <see cref="RowNoise"/> drawn a chunk of samples at a time from one generator per row, so many samples need one
/// chunk's memory (chunk × rows × width floats) instead of all of them at once.
/// </summary>
internal sealed class RowNoiseStream
{
    private readonly Random[] _generators;
    private readonly int _width;

    public RowNoiseStream(ReadOnlySpan<float> rows, int rowCount, int dimension, int width, int stream)
    {
        _width = width;
        _generators = new Random[rowCount];
        for (int r = 0; r < rowCount; r++) _generators[r] = RowNoise.Generator(rows.Slice(r * dimension, dimension), stream);
    }

    /// <summary>The next <paramref name="count"/> samples of every row into <paramref name="destination"/>, (count, rows, width).</summary>
    public void Next(int count, Span<float> destination)
    {
        int rows = _generators.Length;
        if (destination.Length < (long)count * rows * _width)
            throw new ArgumentException($"{destination.Length} values do not hold {count} samples × {rows} rows × {_width}.", nameof(destination));
        for (int r = 0; r < rows; r++)
        {
            var random = _generators[r];
            for (int c = 0; c < count; c++)
            {
                var values = destination.Slice((c * rows + r) * _width, _width);
                for (int j = 0; j < values.Length; j++) values[j] = RowNoise.Normal(random);
            }
        }
    }
}
