using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>
/// A linear maximum entropy (multinomial logistic regression) model: one weight vector and bias per class, class
/// probabilities by the softmax of the linear scores.
/// </summary>
public sealed class MaximumEntropyModelParameters : ICanSaveModel, IMulticlassScorer
{
    internal const string KindName = "MaximumEntropyModelParameters";

    private readonly MulticlassLinearModel _model;

    internal MaximumEntropyModelParameters(MulticlassLinearModel model)
    {
        if (model.ClassCount < 1 || model.Weights.Length != model.ClassCount || model.Weights.Any(w => w.Length != model.Weights[0].Length || w.Length == 0))
            throw new ArgumentException("Expected one non-empty weight vector of the same length per class.", nameof(model));
        _model = model;
    }

    private int FeatureCount => _model.Weights[0].Length;

    int IMulticlassScorer.FeatureCount => FeatureCount;

    int IMulticlassScorer.ClassCount => _model.ClassCount;

    /// <summary>Copies the weight vector of each class into <paramref name="weights"/> (resized as needed).</summary>
    public void GetWeights(ref VBuffer<float>[] weights, out int numClasses)
    {
        numClasses = _model.ClassCount;
        if (weights is null || weights.Length < numClasses)
            Array.Resize(ref weights, numClasses);
        for (int c = 0; c < numClasses; c++)
            VBuffer<float>.Copy(_model.Weights[c], 0, ref weights[c], FeatureCount);
    }

    /// <summary>The bias of each class.</summary>
    public IEnumerable<float> GetBiases() => _model.Biases.ToArray();

    /// <summary>The softmax of the linear scores, computed relative to the largest score so it cannot overflow.</summary>
    void IMulticlassScorer.Score(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        _model.Score(features, probabilities);
        float max = float.NegativeInfinity;
        foreach (float z in probabilities)
            max = Math.Max(max, z);
        double sum = 0;
        for (int c = 0; c < probabilities.Length; c++)
            sum += probabilities[c] = MathF.Exp(probabilities[c] - max);
        for (int c = 0; c < probabilities.Length; c++)
            probabilities[c] = (float)(probabilities[c] / sum);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetKind(KindName);
        var weights = new float[_model.ClassCount * FeatureCount];
        for (int c = 0; c < _model.ClassCount; c++)
            _model.Weights[c].CopyTo(weights, c * FeatureCount);
        ctx.WriteArray("weights", weights, _model.ClassCount, FeatureCount);
        ctx.WriteArray("biases", _model.Biases);
    }

    internal static MaximumEntropyModelParameters Load(ModelLoadContext ctx)
    {
        var weights = ctx.ReadArray<float>("weights", out int[] shape);
        if (shape.Length != 2 || shape[0] < 1 || shape[1] < 1)
            throw new InvalidDataException($"{ctx.Where}: 'weights' must be a [classes, features] array; its shape is [{string.Join(", ", shape)}].");
        var biases = ctx.ReadArray<float>("biases", shape[0]);
        var rows = Enumerable.Range(0, shape[0]).Select(c => weights.AsSpan(c * shape[1], shape[1]).ToArray()).ToArray();
        return new MaximumEntropyModelParameters(new MulticlassLinearModel(rows, biases));
    }
}
