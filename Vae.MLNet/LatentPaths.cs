namespace Vae.MLNet;

/// <summary>How <see cref="VaeTransformer.Interpolate"/> walks between two latent vectors.</summary>
public enum VaeInterpolation
{
    /// <summary>Along the straight line: (1 − t) a + t b.</summary>
    Linear,
    /// <summary>
    /// Along the great circle (slerp, Shoemake 1985): sin((1 − t)θ)/sin θ · a + sin(tθ)/sin θ · b with θ the angle
    /// between a and b. It keeps the norm typical of Gaussian samples, where a straight line passes near the origin.
    /// </summary>
    Spherical,
}

/// <summary>Paths through the latent space and standard normal draws for generation.</summary>
public static class LatentPaths
{
    /// <summary><paramref name="steps"/> points from a to b, both included.</summary>
    public static float[][] Interpolate(float[] a, float[] b, int steps, VaeInterpolation kind = VaeInterpolation.Linear)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length) throw new ArgumentException($"The endpoints have {a.Length} and {b.Length} dimensions.", nameof(b));
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "An interpolation needs at least its two endpoints.");
        double dot = 0, normA = 0, normB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }
        double theta = Math.Acos(Math.Clamp(dot / Math.Sqrt(normA * normB), -1, 1));
        // Nearly parallel (or zero) vectors: slerp's weights become 0/0, and the straight line is the same path.
        bool linear = kind == VaeInterpolation.Linear || double.IsNaN(theta) || Math.Sin(theta) < 1e-6;
        var path = new float[steps][];
        for (int s = 0; s < steps; s++)
        {
            double t = (double)s / (steps - 1);
            double wa = linear ? 1 - t : Math.Sin((1 - t) * theta) / Math.Sin(theta);
            double wb = linear ? t : Math.Sin(t * theta) / Math.Sin(theta);
            path[s] = a.Select((v, i) => (float)(wa * v + wb * b[i])).ToArray();
        }
        return path;
    }

    /// <summary>A vector of standard normal draws (Box–Muller) from a seeded generator.</summary>
    internal static float[] StandardNormal(Random random, int size)
    {
        var result = new float[size];
        for (int i = 0; i < size; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            result[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return result;
    }
}
