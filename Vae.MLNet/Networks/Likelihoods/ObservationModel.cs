using Vae.MLNet.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks.Likelihoods;

/// <summary>
/// p(x|z) for tabular data with missing values: per-slot distributions (<see cref="VaeOptions.SlotLikelihoods"/>)
/// and, under <see cref="VaeMissingValues.Mask"/>, a per-element mask that leaves NaN entries out of the likelihood:
/// −log p(x_obs | z) = −Σ_j m_j log p(x_j | z) (the observed part of a factorized decoder, as in Nazábal et al. 2020,
/// HI-VAE; Mattei &amp; Frellsen 2019, MIWAE). Null for a plain model (<see cref="For"/>), so the plain path is untouched.
/// </summary>
internal sealed class ObservationModel
{
    private readonly SlotSegment[] _segments;

    private ObservationModel(VaeNetworkSpec spec)
    {
        Masked = spec.MissingValues == VaeMissingValues.Mask;
        _segments = SlotSegment.Cover(spec.InputDimension, spec.Likelihood, spec.SlotLikelihoods);
    }

    /// <summary>The model of a spec with missing values or slot likelihoods; null when it has neither.</summary>
    public static ObservationModel? For(VaeNetworkSpec spec) =>
        spec.MissingValues == VaeMissingValues.Refuse && spec.SlotLikelihoods is not { Length: > 0 } ? null : new ObservationModel(spec);

    /// <summary>Whether NaN entries are missing values (rather than errors).</summary>
    public bool Masked { get; }

    /// <summary>The slot runs and their distributions, in slot order.</summary>
    public IReadOnlyList<SlotSegment> Segments => _segments;

    /// <summary>
    /// −log p(x_obs | z) per row, (rows): the decoder's <paramref name="output"/> (means for Gaussian slots, logits
    /// otherwise) against <paramref name="target"/>, whose NaN entries (under Mask) contribute nothing, neither to the
    /// value nor to any gradient.
    /// </summary>
    public Tensor NegativeLogLikelihood(Tensor output, Tensor target, Tensor? observationLogVariance)
    {
        using var scope = NewDisposeScope();
        var perElement = PerElement(output, target, observationLogVariance);
        return perElement.sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>The per-element terms of <see cref="NegativeLogLikelihood"/>, (rows, D); a categorical group's −log softmax of its true class is spread over its slots as −t_j log π_j.</summary>
    internal Tensor PerElement(Tensor output, Tensor target, Tensor? observationLogVariance)
    {
        using var scope = NewDisposeScope();
        long rows = output.size(0);
        var o = output.reshape(rows, -1);
        var t = target.reshape(rows, -1);
        Tensor? observed = null;
        if (Masked)
        {
            // NaN is replaced before any arithmetic: a NaN target would reach the gradient as NaN × 0 = NaN.
            var missing = t.isnan();
            observed = missing.logical_not().to(o.dtype);
            t = t.nan_to_num();
        }
        var pieces = new List<Tensor>(_segments.Length);
        foreach (var s in _segments)
        {
            var os = o.narrow(1, s.Start, s.Length);
            var ts = t.narrow(1, s.Start, s.Length);
            pieces.Add(s.Kind switch
            {
                VaeSlotKind.Gaussian => Gaussian(os, ts, observationLogVariance!.narrow(0, s.Start, s.Length)),
                VaeSlotKind.Bernoulli => nn.functional.binary_cross_entropy_with_logits(os, ts, reduction: nn.Reduction.None),
                _ => -(ts * os.log_softmax(1)),
            });
        }
        var all = pieces.Count == 1 ? pieces[0] : cat(pieces, 1);
        if (observed is not null) all = all * observed;
        return all.MoveToOuterDisposeScope();
    }

    private static Tensor Gaussian(Tensor output, Tensor target, Tensor logVariance) => Elbo.GaussianNegativeLogDensity(output, target, logVariance);

    /// <summary>The reconstruction: the mean of p(x|z) per slot (the Gaussian mean, the Bernoulli probability, the categorical probabilities).</summary>
    public Tensor Mean(Tensor output)
    {
        using var scope = NewDisposeScope();
        var pieces = _segments.Select(s =>
        {
            var os = output.narrow(1, s.Start, s.Length);
            return s.Kind switch
            {
                VaeSlotKind.Gaussian => os.alias(),
                VaeSlotKind.Bernoulli => os.sigmoid(),
                _ => os.softmax(1),
            };
        }).ToList();
        var mean = pieces.Count == 1 ? pieces[0] : cat(pieces, 1);
        return mean.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The first value of one row that the model cannot take, as (slot, what is wrong), or null: NaN without Mask,
    /// infinity, a Bernoulli or categorical value outside [0, 1], or a categorical group with some slots NaN and some not.
    /// </summary>
    public (int Slot, string Problem)? FindProblem(ReadOnlySpan<float> row)
    {
        foreach (var s in _segments)
        {
            int nan = 0;
            for (int j = s.Start; j < s.Start + s.Length; j++)
            {
                float v = row[j];
                if (float.IsNaN(v))
                {
                    if (!Masked) return (j, "the VAE needs finite values (ReplaceMissingValues can fill NaN, or set MissingValues = Mask to impute it)");
                    nan++;
                    continue;
                }
                if (!float.IsFinite(v)) return (j, "the VAE needs finite values, or NaN for a missing one (MissingValues = Mask)");
                if (s.Kind != VaeSlotKind.Gaussian && v is < 0 or > 1)
                    return (j, $"slots {s.Start}–{s.Start + s.Length - 1} are {s.Kind} (SlotLikelihoods or Likelihood), which needs values in [0, 1]");
            }
            if (s.Kind == VaeSlotKind.Categorical && nan > 0 && nan < s.Length)
            {
                int slot = s.Start;
                while (!float.IsNaN(row[slot])) slot++;
                return (slot, $"slots {s.Start}–{s.Start + s.Length - 1} are one categorical group (SlotLikelihoods): a missing category has every slot NaN, but only {nan} of {s.Length} are");
            }
        }
        return null;
    }
}
