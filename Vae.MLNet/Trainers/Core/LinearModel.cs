namespace Vae.MLNet.Trainers;

/// <summary>A trained linear scorer: <c>score = Weights . x + Bias</c>.</summary>
internal sealed record LinearModel(float[] Weights, float Bias)
{
    /// <summary>The score of one feature vector.</summary>
    public float Score(ReadOnlySpan<float> features) => (float)(VectorMath.Dot(features, Weights) + Bias);
}

/// <summary>A trained per-class linear scorer: <c>score_c = Weights[c] . x + Biases[c]</c>.</summary>
internal sealed record MulticlassLinearModel(float[][] Weights, float[] Biases)
{
    /// <summary>Number of classes.</summary>
    public int ClassCount => Biases.Length;

    /// <summary>Writes each class's score for one feature vector into <paramref name="scores"/>.</summary>
    public void Score(ReadOnlySpan<float> features, Span<float> scores)
    {
        for (int c = 0; c < Biases.Length; c++)
            scores[c] = (float)(VectorMath.Dot(features, Weights[c]) + Biases[c]);
    }
}
