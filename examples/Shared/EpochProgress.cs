using Spectre.Console;
using Vae.MLNet;

namespace Vae.MLNet.Examples;

/// <summary>
/// Shows VAE training in the console: a progress bar that advances one epoch at a time and a line per epoch with
/// the loss, reconstruction and KL. The library reports through IProgress and never writes to the console itself.
/// </summary>
public static class EpochProgress
{
    /// <summary>Runs fit with a progress bar for <paramref name="epochs"/> epochs; fit receives the IProgress to put into VaeOptions.</summary>
    public static T Run<T>(string title, int epochs, Func<IProgress<VaeEpochMetrics>, T> fit)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: epochs);
                result = fit(new Reporter(task));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class Reporter(ProgressTask task) : IProgress<VaeEpochMetrics>
    {
        // Called on the training thread: update the bar directly (Progress<T> would post to the thread pool).
        public void Report(VaeEpochMetrics m)
        {
            task.Value = m.Epoch;
            task.Description = Markup.Escape(FormattableString.Invariant(
                $"epoch {m.Epoch}: loss {m.Loss:F2} = reconstruction {m.ReconstructionLoss:F2} + KL {m.KlDivergence:F2}") +
                (m.ValidationLoss is double v ? FormattableString.Invariant($", validation {v:F2}") : ""));
        }
    }
}
