namespace Vae.MLNet.Trainers;

/// <summary>A linear predictor: <c>score = Weights . features + Bias</c>.</summary>
public abstract class LinearModelParameters : ICanSaveModel, IScalarScorer
{
    private protected LinearModelParameters(float[] weights, float bias)
    {
        Linear = new LinearModel(weights, bias);
        Weights = Array.AsReadOnly(weights);
    }

    /// <summary>The predictor's feature weight coefficients.</summary>
    public IReadOnlyList<float> Weights { get; }

    /// <summary>The predictor's bias term.</summary>
    public float Bias => Linear.Bias;

    internal LinearModel Linear { get; }

    int IScalarScorer.FeatureCount => Linear.Weights.Length;

    float IScalarScorer.Score(ReadOnlySpan<float> features) => Linear.Score(features);

    /// <summary>The kind this model is saved and registered under.</summary>
    private protected abstract string Kind { get; }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetKind(Kind);
        ctx.WriteArray("weights", Linear.Weights);
        ctx.WriteArray("bias", new[] { Linear.Bias });
        SaveCore(ctx);
    }

    /// <summary>Writes what a derived model adds (options, statistics).</summary>
    private protected virtual void SaveCore(ModelSaveContext ctx)
    {
    }

    /// <summary>Reads the weights and bias written by <see cref="ICanSaveModel.Save"/>.</summary>
    private protected static (float[] Weights, float Bias) ReadLinear(ModelLoadContext ctx)
    {
        var weights = ctx.ReadArray<float>("weights", out int[] shape);
        if (shape.Length != 1 || weights.Length == 0)
            throw new InvalidDataException($"{ctx.Where}: 'weights' must be a non-empty 1-D array; its shape is [{string.Join(", ", shape)}].");
        return (weights, ctx.ReadArray<float>("bias", 1)[0]);
    }
}

/// <summary>The linear model of a binary classifier; its score is the margin, positive for the positive class.</summary>
public sealed class LinearBinaryModelParameters : LinearModelParameters
{
    internal const string KindName = "LinearBinaryModelParameters";

    internal LinearBinaryModelParameters(float[] weights, float bias) : base(weights, bias)
    {
    }

    private protected override string Kind => KindName;

    internal static LinearBinaryModelParameters Load(ModelLoadContext ctx)
    {
        var (weights, bias) = ReadLinear(ctx);
        return new LinearBinaryModelParameters(weights, bias);
    }
}

/// <summary>Base of the linear regression models.</summary>
public abstract class RegressionModelParameters : LinearModelParameters
{
    private protected RegressionModelParameters(float[] weights, float bias) : base(weights, bias)
    {
    }
}

/// <summary>The model of a linear regression trained by SDCA.</summary>
public sealed class LinearRegressionModelParameters : RegressionModelParameters
{
    internal const string KindName = "LinearRegressionModelParameters";

    internal LinearRegressionModelParameters(float[] weights, float bias) : base(weights, bias)
    {
    }

    private protected override string Kind => KindName;

    internal static LinearRegressionModelParameters Load(ModelLoadContext ctx)
    {
        var (weights, bias) = ReadLinear(ctx);
        return new LinearRegressionModelParameters(weights, bias);
    }
}
