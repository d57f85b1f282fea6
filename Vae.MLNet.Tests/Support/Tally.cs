using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Support;

/// <summary>Counts outcomes of a fuzzing run by kind (loaded, or the gist of the rejection), to show how deep inputs reach.</summary>
internal sealed partial class Tally
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public ModelOutcome Add(ModelOutcome outcome)
    {
        Add(Describe(outcome));
        return outcome;
    }

    /// <summary>The kind of an outcome: rejected (with the gist), loaded and transformed, or loaded then failed in Transform.</summary>
    public static string Describe(ModelOutcome outcome) =>
        !outcome.Loaded ? Gist(outcome.Error!) : outcome.Error is { } e ? $"loaded, Transform: {Gist(e)}" : "loaded and transformed";

    public void Add(string kind) => _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public int Total => _counts.Values.Sum();

    public int this[string kind] => _counts.GetValueOrDefault(kind);

    /// <summary>The exception type and the first words of its message, without file names, numbers or quoted names.</summary>
    public static string Gist(Exception e)
    {
        e = Outcomes.Unwrap(e);
        string message = Quoted().Replace(Source().Replace(e.Message, ""), "'…'");
        message = Numbers().Replace(message, "N");
        return $"{e.GetType().Name}: {string.Join(' ', message.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(7))}";
    }

    public override string ToString() =>
        $"{Total} cases:\n" + string.Join("\n", _counts.OrderByDescending(kv => kv.Value).Select(kv => $"  {kv.Value,6}  {kv.Key}"));

    [GeneratedRegex(@"^the VAE in the model \([^)]*\)(, [A-Za-z.]+)?:\s*")]
    private static partial Regex Source();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"-?[0-9]+")]
    private static partial Regex Numbers();
}
