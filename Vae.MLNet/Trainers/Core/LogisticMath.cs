namespace Vae.MLNet.Trainers;

/// <summary>Overflow-safe forms of the logistic functions the losses and calibrators share.</summary>
internal static class LogisticMath
{
    /// <summary><c>1 / (1 + exp(-z))</c>.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary><c>log(1 + exp(z))</c>.</summary>
    public static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    /// <summary><c>log(sum_c exp(z_c))</c>.</summary>
    public static double LogSumExp(ReadOnlySpan<double> z)
    {
        double max = double.NegativeInfinity;
        foreach (double v in z)
            max = Math.Max(max, v);
        double sum = 0;
        foreach (double v in z)
            sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
