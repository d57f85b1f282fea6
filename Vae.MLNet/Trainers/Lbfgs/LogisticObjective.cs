namespace Vae.MLNet.Trainers;

/// <summary>
/// The smooth part of the L-BFGS logistic objectives, in ML.NET's convention:
/// <c>f(x) = (sum_i s_i l_i + l2 / 2 * |w|^2) / S</c> with <c>S</c> the sum of example weights.
/// One class means binary logistic regression (<c>l = log(1 + exp(-y z))</c>, positive when label &gt; 0);
/// more means multinomial (<c>l = logsumexp(z) - z_label</c>).
/// </summary>
/// <remarks>Parameter layout, as in ML.NET: the K intercepts first, then each class's weights in turn.</remarks>
internal sealed class LogisticObjective
{
    private readonly ITrainingRows _data;
    private readonly int _classes;
    private readonly double _l2;
    private readonly double[] _scores;

    public LogisticObjective(ITrainingRows data, int classCount, double l2)
    {
        _data = data;
        _classes = classCount;
        _l2 = l2;
        _scores = new double[classCount];
        double weightSum = 0;
        data.ForEach((row, _, label, weight) =>
        {
            if (classCount > 1 && !(label >= 0 && label < classCount && label == Math.Floor(label)))
                throw new ArgumentException($"The label of row {row} is {label}; expected a class index in [0, {classCount}).");
            weightSum += weight;
        });
        if (!(weightSum > 0))
            throw new ArgumentException("The example weights sum to zero; there is nothing to train on.");
        WeightSum = weightSum;
    }

    /// <summary>Sum of example weights, <c>S</c>.</summary>
    public double WeightSum { get; }

    /// <summary>Number of parameters: intercepts plus weights.</summary>
    public int ParameterCount => _classes * (1 + _data.FeatureCount);

    /// <summary>Evaluates <c>f</c> and its gradient in one pass over the data.</summary>
    public double Evaluate(double[] x, double[] gradient)
    {
        Array.Clear(gradient);
        int d = _data.FeatureCount, k = _classes;
        double loss = 0;
        _data.ForEach((_, features, label, weight) =>
        {
            if (weight == 0)
                return;
            for (int c = 0; c < k; c++)
                _scores[c] = x[c] + VectorMath.Dot(features, x.AsSpan(k + c * d, d));
            loss += weight * LossAndDerivatives(_scores, label);
            for (int c = 0; c < k; c++)
            {
                double coefficient = weight * _scores[c];
                gradient[c] += coefficient;
                VectorMath.AddScaled(gradient.AsSpan(k + c * d, d), coefficient, features);
            }
        });
        double squaredNorm = 0;
        for (int j = k; j < x.Length; j++)
        {
            squaredNorm += x[j] * x[j];
            gradient[j] += _l2 * x[j];
        }
        double scale = 1 / WeightSum;
        for (int j = 0; j < gradient.Length; j++)
            gradient[j] *= scale;
        return (loss + 0.5 * _l2 * squaredNorm) * scale;
    }

    /// <summary>Returns the loss for scores <paramref name="z"/> and overwrites them with d loss / d z.</summary>
    private static double LossAndDerivatives(double[] z, float label)
    {
        if (z.Length == 1)
        {
            double y = label > 0 ? 1 : 0;
            double score = z[0];
            z[0] = LogisticMath.Sigmoid(score) - y;
            return LogisticMath.Softplus(score) - y * score;
        }
        double logSumExp = LogisticMath.LogSumExp(z);
        int target = (int)label;
        double loss = logSumExp - z[target];
        for (int c = 0; c < z.Length; c++)
            z[c] = Math.Exp(z[c] - logSumExp) - (c == target ? 1 : 0);
        return loss;
    }
}
