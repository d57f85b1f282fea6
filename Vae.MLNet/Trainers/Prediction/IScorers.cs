namespace Vae.MLNet.Trainers;

/// <summary>A model that maps a dense feature vector to one score (binary margin, regression value).</summary>
/// <remarks>Internal so the model classes keep ML.NET's public surface; the prediction transformers score through it.</remarks>
internal interface IScalarScorer
{
    /// <summary>The feature vector length the model expects.</summary>
    int FeatureCount { get; }

    /// <summary>The score of one feature vector.</summary>
    float Score(ReadOnlySpan<float> features);
}

/// <summary>A binary model that also maps its score to the probability of the positive class.</summary>
internal interface IProbabilityScorer : IScalarScorer
{
    /// <summary>The calibrated probability of a score.</summary>
    float Probability(float score);
}

/// <summary>A multiclass model that maps a dense feature vector to one probability per class.</summary>
internal interface IMulticlassScorer
{
    /// <summary>The feature vector length the model expects.</summary>
    int FeatureCount { get; }

    /// <summary>The number of classes.</summary>
    int ClassCount { get; }

    /// <summary>Writes the class probabilities of one feature vector into <paramref name="probabilities"/>.</summary>
    void Score(ReadOnlySpan<float> features, Span<float> probabilities);
}
