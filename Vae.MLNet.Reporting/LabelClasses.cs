using System.Globalization;
using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting;

/// <summary>
/// The classes that colour the latent plot: one per distinct label (by key order, number or name), at most
/// <see cref="MaxClasses"/>; the rarest names beyond that share an "other" class, and numbers with more distinct
/// values are cut into round ranges coloured on a sequential scale.
/// </summary>
internal sealed class LabelClasses
{
    /// <summary>The most classes kept apart: 8 colours × 4 marker shapes.</summary>
    public const int MaxClasses = 32;
    private LabelClasses(IReadOnlyList<ClassStyle> styles, int[] classOfRow, string kind)
    {
        Styles = styles;
        ClassOfRow = classOfRow;
        Kind = kind;
    }

    /// <summary>The style of each class, in legend order.</summary>
    public IReadOnlyList<ClassStyle> Styles { get; }

    /// <summary>The class of each row.</summary>
    public int[] ClassOfRow { get; }

    /// <summary>How the classes were formed, for the caption.</summary>
    public string Kind { get; }

    /// <summary>Classes for <paramref name="labels"/>: by name when they have names, otherwise by number.</summary>
    public static LabelClasses From(IReadOnlyList<LabelValue> labels) =>
        labels.Any(l => l.Name is not null) ? ByName(labels) : ByNumber(labels.Select(l => l.Order).ToArray());

    private static LabelClasses ByName(IReadOnlyList<LabelValue> labels)
    {
        var names = labels.GroupBy(l => l.Name!).Select(g => (Name: g.Key, g.First().Order, Count: g.Count())).ToArray();
        var kept = names.Length <= MaxClasses ? names : names.OrderByDescending(n => n.Count).Take(MaxClasses - 1).ToArray();
        var ordered = kept.OrderBy(n => double.IsNaN(n.Order) ? 0 : n.Order).ThenBy(n => n.Name, StringComparer.Ordinal).Select(n => n.Name).ToList();
        var styles = ordered.Select((name, i) => ClassStyle.Of(i, name)).ToList();
        var index = ordered.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        if (kept.Length < names.Length) styles.Add(new ClassStyle($"other ({names.Length - kept.Length} classes)", ChartLook.Grey, ScottPlot.MarkerShape.FilledCircle));
        int other = styles.Count - 1;
        string kind = kept.Length < names.Length ? $"{names.Length} classes, the {kept.Length} most frequent shown apart" : $"{names.Length} classes";
        return new(styles, labels.Select(l => index.TryGetValue(l.Name!, out int i) ? i : other).ToArray(), kind);
    }

    private static LabelClasses ByNumber(double[] values)
    {
        var distinct = values.Distinct().Order().ToArray();
        if (distinct.Length <= MaxClasses)
        {
            var index = distinct.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
            return new(distinct.Select((v, i) => ClassStyle.Of(i, v.ToString("G6", CultureInfo.InvariantCulture))).ToArray(),
                values.Select(v => index[v]).ToArray(), $"{distinct.Length} classes");
        }
        // Many distinct numbers (a regression target): round ranges, coloured from low to high.
        var finite = values.Where(double.IsFinite).ToArray();
        var ranges = RoundRanges.Cover(finite.Min(), finite.Max(), 6);
        var styles = Enumerable.Range(0, ranges.Count)
            .Select(b => new ClassStyle($"{ranges.Label(ranges.Edge(b))} to {ranges.Label(ranges.Edge(b + 1))}",
                ChartLook.Sequential(ranges.Count == 1 ? 0 : b / (ranges.Count - 1.0)), ScottPlot.MarkerShape.FilledCircle))
            .ToList();
        if (finite.Length < values.Length) styles.Add(new ClassStyle("not a number", ChartLook.Grey, ScottPlot.MarkerShape.FilledCircle));
        int bins = ranges.Count;
        int Bin(double v) => double.IsFinite(v) ? ranges.Of(v) : bins;
        return new(styles, values.Select(Bin).ToArray(), $"{distinct.Length} distinct values in {bins} ranges");
    }
}
