using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>Where a training run stands between epochs: everything besides weights and optimizer needed to resume it.</summary>
/// <typeparam name="TMetrics">The model's record of one epoch.</typeparam>
internal sealed class TrainingState<TMetrics> : IDisposable
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    /// <summary>The metrics of the completed epochs.</summary>
    public List<TMetrics> History { get; init; } = [];

    /// <summary>The best validation loss so far.</summary>
    public double BestValidation { get; set; } = double.PositiveInfinity;

    /// <summary>Epochs since the validation loss last improved.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>True once early stopping ended the run.</summary>
    public bool Stopped { get; set; }

    /// <summary>The weights with the best validation loss (owned: disposed with the state).</summary>
    public Dictionary<string, Tensor>? Best { get; private set; }

    public void ReplaceBest(Dictionary<string, Tensor>? best)
    {
        DisposeBest();
        Best = best;
    }

    public void Dispose() => DisposeBest();

    private void DisposeBest()
    {
        if (Best is null) return;
        foreach (var t in Best.Values) t.Dispose();
        Best = null;
    }
}
