using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Reporting.Figures;

namespace Vae.MLNet.Reporting;

/// <summary>
/// Draws the report's samples from the prior: for a conditional VAE on a key, one sample per class in turn; a VAE
/// conditioned on a vector has no condition the report could choose, so it gets none.
/// </summary>
internal static class PriorSamples
{
    /// <summary>The samples (null when none can be drawn) and an HTML sentence on how they were made, or why not.</summary>
    public static (float[][]? Samples, string Description) Draw(VaeTransformer transformer, DataViewSchema.Column? condition, int count, int seed)
    {
        string drawn = $"{Figure.Count(count)} vectors decoded from latent vectors z ~ N(0, I) drawn with seed {Figure.Count(seed)}";
        if (condition is not { } column)
            return (transformer.Sample(count, seed), drawn + ".");
        string name = Figure.Encode(column.Name);
        if (column.Type is not KeyDataViewType)
            return (null, $"This VAE is conditioned on the vector column '{name}', and the report cannot choose conditions for it; " +
                "draw samples with <code>Sample(count, condition)</code> for the conditions you care about.");
        int classes = transformer.ConditionDimension;
        var samples = Enumerable.Range(0, count).Select(i => transformer.SampleClass(1, i % classes, seed + i)[0]).ToArray();
        return (samples, $"{drawn}, sample i conditioned on class i mod {Figure.Count(classes)} of '{name}' (classes in key order).");
    }
}
