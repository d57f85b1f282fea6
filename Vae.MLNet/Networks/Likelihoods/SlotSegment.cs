namespace Vae.MLNet.Networks.Likelihoods;

/// <summary>A run of input slots sharing one distribution; a categorical segment is exactly one one-hot group.</summary>
internal readonly record struct SlotSegment(int Start, int Length, VaeSlotKind Kind)
{
    /// <summary>
    /// The segments covering slots 0 … dimension − 1 in order: the listed ranges, and the slots between them under the
    /// model's <paramref name="likelihood"/>, with adjacent Gaussian (or Bernoulli) runs merged so a batch takes as few
    /// tensor ops as the layout allows. The ranges must already be valid (see <see cref="SlotLayoutValidation"/>).
    /// </summary>
    public static SlotSegment[] Cover(int dimension, VaeLikelihood likelihood, IReadOnlyList<VaeSlotLikelihood>? ranges)
    {
        var fallback = likelihood == VaeLikelihood.Bernoulli ? VaeSlotKind.Bernoulli : VaeSlotKind.Gaussian;
        var segments = new List<SlotSegment>();
        int next = 0;
        foreach (var range in (ranges ?? []).OrderBy(r => r.Start))
        {
            if (range.Start > next) Add(segments, new(next, range.Start - next, fallback));
            Add(segments, new(range.Start, range.Length, range.Kind));
            next = range.Start + range.Length;
        }
        if (next < dimension) Add(segments, new(next, dimension - next, fallback));
        return [.. segments];
    }

    private static void Add(List<SlotSegment> segments, SlotSegment segment)
    {
        if (segments.Count > 0 && segments[^1] is var last && last.Kind == segment.Kind && segment.Kind != VaeSlotKind.Categorical)
            segments[^1] = last with { Length = last.Length + segment.Length };
        else
            segments.Add(segment);
    }
}
