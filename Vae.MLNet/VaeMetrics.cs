namespace Vae.MLNet;

/// <summary>How well a VAE explains a data set; every quantity is an average per row, in nats.</summary>
public sealed class VaeMetrics
{
    internal VaeMetrics(long rows, double reconstruction, double kl, double[] klPerDimension, int activeUnits, double? importanceWeightedBound, int importanceSamples)
    {
        RowCount = rows;
        ReconstructionLoss = reconstruction;
        KlDivergence = kl;
        KlPerDimension = klPerDimension;
        ActiveUnits = activeUnits;
        ImportanceWeightedBound = importanceWeightedBound;
        ImportanceSamples = importanceSamples;
    }

    /// <summary>The rows evaluated.</summary>
    public long RowCount { get; }

    /// <summary>The evidence lower bound E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)), one sample of z per row: a lower bound on log p(x), higher is better.</summary>
    public double Elbo => -ReconstructionLoss - KlDivergence;

    /// <summary>−E_q[log p(x|z)] estimated with one sample of z.</summary>
    public double ReconstructionLoss { get; }

    /// <summary>KL(q(z|x) ‖ N(0, I)), in closed form.</summary>
    public double KlDivergence { get; }

    /// <summary>The KL of each latent dimension; they sum to <see cref="KlDivergence"/>.</summary>
    public IReadOnlyList<double> KlPerDimension { get; }

    /// <summary>Latent dimensions whose variance over x of E_q[z] exceeds 0.01 (Burda et al. 2016).</summary>
    public int ActiveUnits { get; }

    /// <summary>
    /// The importance-weighted bound log (1/k) Σ p(x, zᵢ)/q(zᵢ|x) with k = <see cref="ImportanceSamples"/> (Burda et al.
    /// 2016): at least the ELBO in expectation and tighter as k grows; null when no importance samples were asked for.
    /// </summary>
    public double? ImportanceWeightedBound { get; }

    /// <summary>The k of <see cref="ImportanceWeightedBound"/> (0 when not computed).</summary>
    public int ImportanceSamples { get; }
}
