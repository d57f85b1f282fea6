namespace Vae.MLNet.Trainers;

/// <summary>The columns every trainer reads: the base of all trainer options, as in ML.NET.</summary>
public abstract class TrainerInputBase
{
    /// <summary>Column to use for features (a known-size vector of <see cref="float"/>). Default "Features".</summary>
    public string FeatureColumnName = "Features";

    private protected TrainerInputBase()
    {
    }
}

/// <summary>Trainer options that also read a label column.</summary>
public abstract class TrainerInputBaseWithLabel : TrainerInputBase
{
    /// <summary>Column to use for labels. Default "Label".</summary>
    public string LabelColumnName = "Label";

    private protected TrainerInputBaseWithLabel()
    {
    }
}

/// <summary>Trainer options that also read an optional example-weight column.</summary>
public abstract class TrainerInputBaseWithWeight : TrainerInputBaseWithLabel
{
    /// <summary>Column to use for example weights; <see langword="null"/> (the default) weighs every example 1.</summary>
    public string? ExampleWeightColumnName;

    private protected TrainerInputBaseWithWeight()
    {
    }
}
