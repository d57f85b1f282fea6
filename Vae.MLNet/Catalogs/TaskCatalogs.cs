namespace Vae.MLNet;

// Partial, so Trainers/ can add Evaluate and trainer members in its own files.

/// <summary>Multiclass classification: trainers are attached to <see cref="Trainers"/> as extension methods.</summary>
public sealed partial class MulticlassClassificationCatalog : CatalogBase
{
    internal MulticlassClassificationCatalog(MLContext context) : base(context) => Trainers = new MulticlassClassificationTrainers(this);

    /// <summary>The multiclass trainers.</summary>
    public MulticlassClassificationTrainers Trainers { get; }

    /// <summary>The catalog of multiclass trainers.</summary>
    public sealed partial class MulticlassClassificationTrainers : CatalogBase
    {
        internal MulticlassClassificationTrainers(MulticlassClassificationCatalog owner) : base(owner.Context) => Owner = owner;

        /// <summary>The task catalog this trainer catalog belongs to.</summary>
        public MulticlassClassificationCatalog Owner { get; }
    }
}

/// <summary>Binary classification: trainers are attached to <see cref="Trainers"/> as extension methods.</summary>
public sealed partial class BinaryClassificationCatalog : CatalogBase
{
    internal BinaryClassificationCatalog(MLContext context) : base(context) => Trainers = new BinaryClassificationTrainers(this);

    /// <summary>The binary classification trainers.</summary>
    public BinaryClassificationTrainers Trainers { get; }

    /// <summary>The catalog of binary classification trainers.</summary>
    public sealed partial class BinaryClassificationTrainers : CatalogBase
    {
        internal BinaryClassificationTrainers(BinaryClassificationCatalog owner) : base(owner.Context) => Owner = owner;

        /// <summary>The task catalog this trainer catalog belongs to.</summary>
        public BinaryClassificationCatalog Owner { get; }
    }
}

/// <summary>Regression: trainers are attached to <see cref="Trainers"/> as extension methods.</summary>
public sealed partial class RegressionCatalog : CatalogBase
{
    internal RegressionCatalog(MLContext context) : base(context) => Trainers = new RegressionTrainers(this);

    /// <summary>The regression trainers.</summary>
    public RegressionTrainers Trainers { get; }

    /// <summary>The catalog of regression trainers.</summary>
    public sealed partial class RegressionTrainers : CatalogBase
    {
        internal RegressionTrainers(RegressionCatalog owner) : base(owner.Context) => Owner = owner;

        /// <summary>The task catalog this trainer catalog belongs to.</summary>
        public RegressionCatalog Owner { get; }
    }
}
