namespace Vae.MLNet.Trainers;

/// <summary>
/// Multiclass maximum entropy (multinomial logistic regression, softmax over per-class linear scores) trained with
/// L-BFGS (OWL-QN when L1 is positive).
/// </summary>
/// <remarks>Labels are 0-based class indices. See <see cref="LbfgsOptionsBase"/> for the objective.</remarks>
public sealed partial class LbfgsMaximumEntropyMulticlassTrainer
{
    /// <summary>Options for <see cref="LbfgsMaximumEntropyMulticlassTrainer"/>.</summary>
    public sealed class Options : LbfgsOptionsBase
    {
    }
}
