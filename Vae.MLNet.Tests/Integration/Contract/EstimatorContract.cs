using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>
/// ML.NET's contract for an estimator and its transformer, after what dotnet/machinelearning's <c>TestEstimatorCore</c>
/// and <c>CheckSameValues</c> ask of every built-in transform: the schemas promised agree with the data given, invalid
/// input is refused as a schema error, a saved and loaded model gives the same values, and every way of reading the
/// output (cursors over any columns, parallel cursor sets, a row mapper, a PredictionEngine, Preview) gives the same
/// rows. Fits the case once; each check is run on its own by <see cref="Run"/>, so a test names the check that fails.
/// </summary>
internal sealed partial class EstimatorContract : IDisposable
{
    private static readonly Dictionary<string, Action<EstimatorContract>> Checks = new()
    {
        ["EstimatorShapeIsTheTransformersSchema"] = c => c.EstimatorShapeIsTheTransformersSchema(),
        ["OutputSchemaIsTransformsSchema"] = c => c.OutputSchemaIsTransformsSchema(),
        ["InvalidInputIsRefused"] = c => c.InvalidInputIsRefused(),
        ["SaveLoadGivesTheSameValues"] = c => c.SaveLoadGivesTheSameValues(),
        ["CursorsOverColumnSubsetsAgree"] = c => c.CursorsOverColumnSubsetsAgree(),
        ["ColumnFromAnEqualSchemaIsAccepted"] = c => c.ColumnFromAnEqualSchemaIsAccepted(),
        ["ParallelCursorSetsGiveTheSameRows"] = c => c.ParallelCursorSetsGiveTheSameRows(),
        ["ShuffledCursorsGiveTheSameRows"] = c => c.ShuffledCursorsGiveTheSameRows(),
        ["DownstreamTransformKeepsTheRows"] = c => c.DownstreamTransformKeepsTheRows(),
        ["SparseInputGivesTheDenseValues"] = c => c.SparseInputGivesTheDenseValues(),
        ["EmptyInputGivesNoRows"] = c => c.EmptyInputGivesNoRows(),
        ["RowIdsAndPositionsAreConsistent"] = c => c.RowIdsAndPositionsAreConsistent(),
        ["CursorsCanBeDisposedEarly"] = c => c.CursorsCanBeDisposedEarly(),
        ["RowToRowMapperAgreesWithTransform"] = c => c.RowToRowMapperAgreesWithTransform(),
        ["PredictionEngineAgreesWithTransform"] = c => c.PredictionEngineAgreesWithTransform(),
        ["PreviewShowsTheSameValues"] = c => c.PreviewShowsTheSameValues(),
        ["AnnotationsAreSizedLikeTheirColumns"] = c => c.AnnotationsAreSizedLikeTheirColumns(),
    };

    private readonly ContractCase _case;
    private readonly MLContext _ml = new(seed: 1);
    // The model is fitted on a few rows and checked on more, other rows: more than one batch of the VAE's cursor (256).
    private readonly IDataView _fitData;
    private readonly ContractRow[] _rows;
    private readonly IDataView _data;
    private readonly IEstimator<ITransformer> _estimator;
    private readonly ITransformer _transformer;
    private readonly ITransformer _loaded;
    private readonly DataViewSchema _loadedInputSchema;
    private readonly IDataView _view;
    private List<RowValues>? _reference;

    public EstimatorContract(ContractCase contractCase)
    {
        _case = contractCase;
        int size = contractCase.FeatureSize;
        _fitData = ContractData.View(_ml, ContractData.Rows(contractCase.Rows, size, seed: 1), size, dimensions: contractCase.FeatureDimensions, slotNames: contractCase.FeatureSlotNames);
        _rows = ContractData.Rows(CheckedRows, size, seed: 2);
        _data = ContractData.View(_ml, _rows, size, dimensions: contractCase.FeatureDimensions, slotNames: contractCase.FeatureSlotNames);
        _estimator = contractCase.Estimator(_ml);
        _transformer = _estimator.Fit(_fitData);
        using (var stream = new MemoryStream())
        {
            _ml.Model.Save(_transformer, _data.Schema, stream);
            stream.Position = 0;
            _loaded = _ml.Model.Load(stream, out _loadedInputSchema);
        }
        _view = _transformer.Transform(_data);
    }

    /// <summary>Rows the checks read: more than one batch of the VAE's cursors, and a last batch of another size.</summary>
    private const int CheckedRows = 300;

    /// <summary>The names of the checks, in the order ML.NET's tests make them.</summary>
    public static IReadOnlyCollection<string> CheckNames => Checks.Keys;

    /// <summary>Runs one check; a broken contract fails the test with what differs.</summary>
    public void Run(string check)
    {
        LargestDifference = 0;
        Notes.Clear();
        Checks[check](this);
    }

    /// <summary>The largest relative difference the last check met between two computations of a value (for the report).</summary>
    public double LargestDifference { get; private set; }

    /// <summary>What the last check met that a reader of its result may want to know (how a cursor set split the rows).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Every row of the transformed view over all its columns (hidden ones too), read once by one cursor.</summary>
    private List<RowValues> Reference => _reference ??= ColumnValues.ReadAll(_view, _view.Schema.ToArray());

    private DataViewSchema.Column[] Added => _view.Schema.Where(c => c.Index >= _data.Schema.Count).ToArray();

    public void Dispose()
    {
        (_transformer as IDisposable)?.Dispose();
        (_loaded as IDisposable)?.Dispose();
    }

    /// <summary>Fails unless <paramref name="actual"/> has the rows of <paramref name="expected"/> (same positions and ids), column <c>columns[i]</c> of each agreeing.</summary>
    private void AssertSameRows(List<RowValues> expected, List<RowValues> actual, IReadOnlyList<int> columns, double tolerance, string what)
    {
        Assert.HasCount(expected.Count, actual, $"{what}: rows");
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.AreEqual(expected[r].Position, actual[r].Position, $"{what}: position of row {r}");
            Assert.AreEqual(expected[r].Id, actual[r].Id, $"{what}: id of row {r}");
            for (int k = 0; k < columns.Count; k++)
                AssertSameValue(expected[r].Values[columns[k]], actual[r].Values[k], tolerance, $"{what}: column '{_view.Schema[columns[k]].Name}', row {r}");
        }
    }

    private void AssertSameValue(object? expected, object? actual, double tolerance, string what)
    {
        LargestDifference = Math.Max(LargestDifference, ColumnValues.MaxDifference(expected, actual));
        if (ColumnValues.Difference(expected, actual, tolerance) is { } difference) Assert.Fail($"{what}: {difference}");
    }

    private static void AssertSameSchema(DataViewSchema expected, DataViewSchema actual, string what)
    {
        if (SchemaComparison.Difference(expected, actual) is { } difference) Assert.Fail($"{what}: {difference}");
    }
}
