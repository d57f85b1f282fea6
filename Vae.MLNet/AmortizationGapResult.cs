namespace Vae.MLNet;

/// <summary>
/// The amortization gap (Cremer et al. 2018): how much ELBO the encoder leaves on the table compared with
/// optimizing each row's own posterior parameters. Averages are per row, in nats; both ELBOs of a row are estimated
/// with the same noise, so their difference is not blurred by sampling.
/// </summary>
public sealed class AmortizationGapResult
{
    internal AmortizationGapResult(double[] amortized, double[] optimized, int steps, int evaluationSamples)
    {
        AmortizedElboPerRow = amortized;
        OptimizedElboPerRow = optimized;
        Steps = steps;
        EvaluationSamples = evaluationSamples;
    }

    /// <summary>The average ELBO with the encoder's q(z|x).</summary>
    public double AmortizedElbo => AmortizedElboPerRow.Average();

    /// <summary>The average ELBO after optimizing each row's (μ, log σ²).</summary>
    public double OptimizedElbo => OptimizedElboPerRow.Average();

    /// <summary>OptimizedElbo − AmortizedElbo: non-negative on average when the optimization succeeds.</summary>
    public double Gap => OptimizedElbo - AmortizedElbo;

    /// <summary>The amortized ELBO of each row, in data order.</summary>
    public IReadOnlyList<double> AmortizedElboPerRow { get; }

    /// <summary>The optimized ELBO of each row, in data order.</summary>
    public IReadOnlyList<double> OptimizedElboPerRow { get; }

    /// <summary>The Adam steps taken per row.</summary>
    public int Steps { get; }

    /// <summary>Samples of z used to estimate each row's ELBOs.</summary>
    public int EvaluationSamples { get; }
}
