namespace Vae.MLNet.Trainers;

/// <summary>
/// A loss as SDCA sees it: the primal loss of a row's outputs, its conjugate, and the exact maximization of the dual
/// over one row's block of dual variables (one per output).
/// </summary>
/// <remarks>
/// Convention (Shalev-Shwartz and Zhang, 2013): the weights are <c>w = (1 / (lambda n)) sum_i s_i alpha_i x_i</c> and the
/// dual objective is <c>(1/n) sum_i s_i D(alpha_i) - lambda g*(w)</c> with <c>D(alpha) = -l*(-alpha)</c>.
/// </remarks>
internal interface ISdcaLoss
{
    /// <summary>The effective example weight; a loss may reweigh rows by label.</summary>
    double Weight(float label, float weight) => weight;

    /// <summary>The primal loss of a row whose outputs are <paramref name="outputs"/>.</summary>
    double Loss(ReadOnlySpan<double> outputs, float label);

    /// <summary>The dual loss <c>-l*(-alpha)</c> of a row's dual block.</summary>
    double DualLoss(ReadOnlySpan<double> dual, float label);

    /// <summary>
    /// Replaces <paramref name="dual"/> with the maximizer over that block of
    /// <c>D(alpha') - (alpha' - alpha) . z - curvature / 2 * |alpha' - alpha|^2</c>, where <c>z</c> are the current outputs
    /// and <c>curvature = s |x|^2 / (lambda n)</c>.
    /// </summary>
    void MaximizeDual(ReadOnlySpan<double> outputs, float label, Span<double> dual, double curvature);

    /// <summary>
    /// The largest fraction in [0, 1] of <paramref name="shift"/> that can be subtracted from <paramref name="dual"/>
    /// while keeping it well inside the dual domain.
    /// </summary>
    double FeasibleShift(ReadOnlySpan<double> dual, ReadOnlySpan<double> shift, float label);
}
