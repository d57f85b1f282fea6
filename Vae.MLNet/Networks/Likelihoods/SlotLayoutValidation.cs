namespace Vae.MLNet.Networks.Likelihoods;

/// <summary>
/// Checks <see cref="VaeOptions.MissingValues"/> and <see cref="VaeOptions.SlotLikelihoods"/> against the network
/// they describe, at Fit (from the options) and at Load (from a file that may have been tampered with).
/// </summary>
internal static class SlotLayoutValidation
{
    /// <exception cref="ArgumentException">The option is undefined, or the ranges are malformed, overlap, run past the vector or do not fit the architecture or likelihood (the message names the option).</exception>
    public static void Validate(VaeMissingValues missing, IReadOnlyList<VaeSlotLikelihood>? ranges, VaeArchitecture architecture, VaeLikelihood likelihood, int? inputDimension)
    {
        const string Missing = nameof(VaeOptions.MissingValues), Slots = nameof(VaeOptions.SlotLikelihoods);
        if (!Enum.IsDefined(missing)) throw new ArgumentException($"{Missing} {(int)missing} is not defined.", Missing);
        if (missing == VaeMissingValues.Mask && architecture != VaeArchitecture.Mlp)
            throw new ArgumentException(
                $"{Missing} = Mask appends a mask channel to the encoder's input, which only Architecture = Mlp takes; with Architecture = {architecture} leave MissingValues = Refuse (ReplaceMissingValues can fill NaN).", Missing);
        if (ranges is null) return;
        if (architecture != VaeArchitecture.Mlp)
            throw new ArgumentException($"{Slots} describe tabular data: use Architecture = Mlp (the VAE is {architecture}).", Slots);
        if (inputDimension is int limit && ranges.Count > limit)
            throw new ArgumentException($"{Slots} lists {ranges.Count} ranges for an input of {limit} slots.", Slots);
        for (int i = 0; i < ranges.Count; i++)
        {
            var r = ranges[i] ?? throw new ArgumentException($"{Slots}[{i}] is null.", Slots);
            if (!Enum.IsDefined(r.Kind)) throw new ArgumentException($"{Slots}[{i}] {r}: kind {(int)r.Kind} is not defined.", Slots);
            if (r.Start < 0 || r.Length < 1)
                throw new ArgumentException($"{Slots}[{i}] {r}: the start must be at least 0 and the length at least 1.", Slots);
            if (r.Kind == VaeSlotKind.Categorical && r.Length < 2)
                throw new ArgumentException($"{Slots}[{i}] {r}: a categorical group needs at least 2 slots (one binary slot is Bernoulli).", Slots);
            if (r.Kind == VaeSlotKind.Gaussian && likelihood == VaeLikelihood.Bernoulli)
                throw new ArgumentException(
                    $"{Slots}[{i}] {r}: Gaussian slots need the observation variance of Likelihood = Gaussian; with Likelihood = Bernoulli list only Bernoulli and Categorical ranges.", Slots);
            if (inputDimension is int d && r.End > d)
                throw new ArgumentException($"{Slots}[{i}] {r} runs past the input vector of {d} slots (slot {r.End - 1} does not exist).", Slots);
        }
        var sorted = ranges.Select((r, i) => (r, i)).OrderBy(p => p.r.Start).ToArray();
        for (int k = 1; k < sorted.Length; k++)
        {
            var (previous, p) = sorted[k - 1];
            var (current, c) = sorted[k];
            if (current.Start < previous.End)
                throw new ArgumentException($"{Slots}[{p}] {previous} and {Slots}[{c}] {current} overlap (slot {current.Start} is in both).", Slots);
        }
    }
}
