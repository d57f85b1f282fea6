using Microsoft.ML;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>Who must refuse an invalid input.</summary>
internal enum RefusedBy
{
    /// <summary>A fault the SchemaShape shows (a missing column, another type): the estimator's GetOutputSchema and Fit, and the fitted transformer.</summary>
    EstimatorAndTransformer,

    /// <summary>A size the SchemaShape cannot carry but Fit can check (an image shape): Fit and the fitted transformer.</summary>
    FitAndTransformer,

    /// <summary>What the estimator needs to fit but the fitted transformer does not (an image's dimensions, once the model knows its shape): Fit.</summary>
    Fit,

    /// <summary>Valid to fit on, but not what the transformer was fitted on (another vector size, another key count): the transformer.</summary>
    Transformer,
}

/// <summary>An input the contract expects to be refused with ArgumentOutOfRangeException, as ML.NET refuses schema errors.</summary>
internal sealed record InvalidInput(string Description, IDataView Data, RefusedBy RefusedBy);

/// <summary>An estimator under the contract: how to make it, what data it fits, and what its output must carry.</summary>
internal sealed class ContractCase
{
    /// <summary>The name the test results show.</summary>
    public required string Name { get; init; }

    /// <summary>Makes the estimator in the contract's MLContext.</summary>
    public required Func<MLContext, IEstimator<ITransformer>> Estimator { get; init; }

    /// <summary>The size of the Features vector.</summary>
    public int FeatureSize { get; init; } = 8;

    /// <summary>The Features vector's dimensions, when it has more than one (an image's [C, H, W], as ExtractPixels writes them).</summary>
    public int[]? FeatureDimensions { get; init; }

    /// <summary>Whether the Features column carries slot names (f0, f1, …).</summary>
    public bool FeatureSlotNames { get; init; }

    /// <summary>Added columns that must carry the Features column's own slot names (a reconstruction reads like its input).</summary>
    public string[] InputSlotNamedColumns { get; init; } = [];

    /// <summary>Rows to fit on.</summary>
    public int Rows { get; init; } = 40;

    /// <summary>An added column, taken from an equal (not the same) schema object to open a cursor with.</summary>
    public required string AddedColumn { get; init; }

    /// <summary>Added columns that must carry slot names (ML.NET's PCA writes none; the VAE names every vector it adds).</summary>
    public string[] SlotNamedColumns { get; init; } = [];

    /// <summary>Whether Fit, not only the transformer, must refuse a Features vector of another size (a convolutional VAE's image shape).</summary>
    public bool SizeFixedAtFit { get; init; }

    /// <summary>Invalid inputs of this case beyond the Features column's (a condition column's).</summary>
    public Func<MLContext, ContractRow[], IEnumerable<InvalidInput>>? MoreInvalidInputs { get; init; }

    /// <summary>
    /// How far two computations of the same output may differ, relative to max(1, |value|), where the rows reach the
    /// model in other batches (parallel cursors, a row mapper's one row) or with other columns requested (which can
    /// take another kernel): float32 sums in another order, which differ by a few units in the last place for these
    /// small layers. 1e-5 leaves room for other CPUs' kernels and is far below what a wrong row, slot or weight makes.
    /// A saved and loaded model, Preview and a re-read take the same path and are compared bit for bit.
    /// </summary>
    public double Tolerance { get; init; } = 1e-5;

    public override string ToString() => Name;
}
