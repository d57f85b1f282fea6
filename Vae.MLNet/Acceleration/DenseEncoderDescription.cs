namespace Vae.MLNet.Acceleration;

/// <summary>
/// A fitted fully connected encoder in neutral terms, as the network describes itself for
/// <see cref="IAcceleration.DenseEncoder"/>: its body layers in order, then the μ and log σ² heads on the body's output.
/// The arrays are copies (the description does not change when the network trains on).
/// </summary>
/// <param name="Body">The body's layers, each applied to the previous one's output.</param>
/// <param name="MeanHead">The μ head (no activation).</param>
/// <param name="LogVarianceHead">The log σ² head (no activation), clamped to [<paramref name="LogVarianceMin"/>, <paramref name="LogVarianceMax"/>].</param>
/// <param name="InputWidth">The features of a row.</param>
/// <param name="ConditionWidth">The condition values appended to a row's features before the body (0: none).</param>
/// <param name="LogVarianceMin">The lower clamp of log σ².</param>
/// <param name="LogVarianceMax">The upper clamp of log σ².</param>
internal sealed record DenseEncoderDescription(
    IReadOnlyList<DenseLayerDescription> Body, DenseLayerDescription MeanHead, DenseLayerDescription LogVarianceHead,
    int InputWidth, int ConditionWidth, double LogVarianceMin, double LogVarianceMax);

/// <summary>One layer y = act(norm(W·x + b)).</summary>
/// <param name="Weights">W as (outputs × inputs), row-major, as torch's Linear stores it.</param>
/// <param name="Bias">b, one per output.</param>
/// <param name="Norm">A batch norm after the product, in evaluation mode (running statistics); null for none.</param>
/// <param name="Relu">Whether ReLU follows.</param>
internal sealed record DenseLayerDescription(float[] Weights, float[] Bias, BatchNormDescription? Norm, bool Relu);

/// <summary>An evaluation-mode batch norm: y = γ·(x − μ)/√(σ² + ε) + β.</summary>
/// <param name="RunningMean">μ per feature.</param>
/// <param name="RunningVariance">σ² per feature.</param>
/// <param name="Scale">γ per feature, or null for 1.</param>
/// <param name="Shift">β per feature, or null for 0.</param>
/// <param name="Epsilon">ε.</param>
internal sealed record BatchNormDescription(float[] RunningMean, float[] RunningVariance, float[]? Scale, float[]? Shift, double Epsilon);
