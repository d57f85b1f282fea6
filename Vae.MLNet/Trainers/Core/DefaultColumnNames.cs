namespace Vae.MLNet.Trainers;

/// <summary>The column names trainers, prediction transformers and evaluators use by default, as in ML.NET.</summary>
internal static class DefaultColumnNames
{
    public const string Label = "Label";
    public const string Features = "Features";
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";
}
