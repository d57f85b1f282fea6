using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>What a PredictionEngine reads of a vector column (the column is named by the engine's output SchemaDefinition).</summary>
public sealed class VectorPrediction
{
    /// <summary>The column's value.</summary>
    public float[] Value { get; set; } = [];
}

/// <summary>What a PredictionEngine reads of a scalar Single column.</summary>
public sealed class ScalarPrediction
{
    /// <summary>The column's value.</summary>
    public float Value { get; set; }
}

// The row-level checks: the saved and loaded model, the row-to-row mapper and PredictionEngine against Transform.
internal sealed partial class EstimatorContract
{
    /// <summary>The model saved by ml.Model.Save and loaded by ml.Model.Load gives every column of every row bit for bit.</summary>
    private void SaveLoadGivesTheSameValues()
    {
        var loaded = _loaded.Transform(_data);
        var columns = loaded.Schema.ToArray();
        AssertSameSchema(_view.Schema, loaded.Schema, "the loaded model's schema");
        // The same weights on the same rows in the same batches: nothing may differ.
        AssertSameRows(Reference, ColumnValues.ReadAll(loaded, columns), columns.Select(c => c.Index).ToArray(), 0, "the loaded model");
    }

    /// <summary>The same values as sparse vectors give every output column what their dense form gives, through Transform and the row mapper.</summary>
    private void SparseInputGivesTheDenseValues()
    {
        var (dense, sparse) = ContractData.DenseAndSparse(_ml, _rows, _case.FeatureSize, _case.FeatureDimensions, _case.FeatureSlotNames);
        var denseView = _transformer.Transform(dense);
        var sparseView = _transformer.Transform(sparse);
        AssertSameSchema(denseView.Schema, sparseView.Schema, "the schema over sparse input");
        var columns = denseView.Schema.ToArray();
        var all = columns.Select(c => c.Index).ToArray();
        var expected = ColumnValues.ReadAll(denseView, columns);
        AssertSameRows(expected, ColumnValues.ReadAll(sparseView, sparseView.Schema.ToArray()), all, _case.Tolerance, "Transform of sparse input");
        var mapper = _transformer.GetRowToRowMapper(sparse.Schema);
        var outputs = mapper.OutputSchema.ToArray();
        using var input = sparse.GetRowCursor(mapper.GetDependencies(outputs));
        using var row = mapper.GetRow(input, outputs);
        var readers = outputs.Select(c => ColumnValues.Reader(row, c)).ToArray();
        for (int r = 0; input.MoveNext(); r++)
            foreach (var column in outputs)
                AssertSameValue(expected[r].Values[column.Index], readers[column.Index](), _case.Tolerance, $"the row mapper's '{column.Name}' of sparse input, row {r}");
    }

    /// <summary>An input without rows gives a view without rows, through one cursor and a cursor set.</summary>
    private void EmptyInputGivesNoRows()
    {
        var empty = _transformer.Transform(ContractData.View(_ml, [], _case.FeatureSize, dimensions: _case.FeatureDimensions, slotNames: _case.FeatureSlotNames));
        AssertSameSchema(_view.Schema, empty.Schema, "the schema of no rows");
        using (var cursor = empty.GetRowCursor(empty.Schema))
        {
            Assert.IsFalse(cursor.MoveNext(), "a cursor over no rows");
            Assert.IsFalse(cursor.MoveNext(), "a cursor over no rows, asked again");
        }
        var set = empty.GetRowCursorSet(empty.Schema, 2);
        try
        {
            Assert.IsTrue(set.All(c => !c.MoveNext()), "a cursor set over no rows");
        }
        finally
        {
            foreach (var cursor in set) cursor.Dispose();
        }
    }

    /// <summary>GetRowToRowMapper's rows (of the fitted and the loaded model), read over the input's cursor, agree with Transform row by row.</summary>
    private void RowToRowMapperAgreesWithTransform()
    {
        foreach (var (transformer, which) in new[] { (_transformer, "fitted"), (_loaded, "loaded") })
        {
            var mapper = transformer.GetRowToRowMapper(_data.Schema);
            var outputs = mapper.OutputSchema.ToArray();
            using var input = _data.GetRowCursor(mapper.GetDependencies(outputs));
            using var row = mapper.GetRow(input, outputs);
            var readers = outputs.Select(c => ColumnValues.Reader(row, c)).ToArray();
            int r = 0;
            for (; input.MoveNext(); r++)
                foreach (var column in outputs)
                    AssertSameValue(Reference[r].Values[column.Index], readers[column.Index](), _case.Tolerance, $"the {which} row mapper's '{column.Name}', row {r}");
            Assert.HasCount(r, Reference, $"the {which} row mapper's rows");
        }
    }

    /// <summary>A PredictionEngine of each added column (of the fitted and the loaded model) predicts what Transform gives, row by row.</summary>
    private void PredictionEngineAgreesWithTransform()
    {
        var input = ContractData.Definition(_case.FeatureSize, dimensions: _case.FeatureDimensions, slotNames: _case.FeatureSlotNames);
        var engines = new List<IDisposable>();
        try
        {
            foreach (var (transformer, which) in new[] { (_transformer, "fitted"), (_loaded, "loaded") })
            {
                foreach (var column in Added)
                {
                    Func<ContractRow, object> predict = column.Type is VectorDataViewType
                        ? Engine<VectorPrediction>(transformer, input, column, p => p.Value.Select(v => (object?)v).ToArray(), engines)
                        : Engine<ScalarPrediction>(transformer, input, column, p => p.Value, engines);
                    for (int r = 0; r < _rows.Length; r++)
                        AssertSameValue(Reference[r].Values[column.Index], predict(_rows[r]), _case.Tolerance, $"the {which} model's PredictionEngine of '{column.Name}', row {r}");
                }
            }
        }
        finally
        {
            foreach (var engine in engines) engine.Dispose();
        }
    }

    private Func<ContractRow, object> Engine<TPrediction>(ITransformer transformer, SchemaDefinition input, DataViewSchema.Column column, Func<TPrediction, object> value, List<IDisposable> engines)
        where TPrediction : class, new()
    {
        var output = SchemaDefinition.Create(typeof(TPrediction));
        output[0].ColumnName = column.Name;
        output[0].ColumnType = column.Type;
        // An engine owns its transformer by default and disposes it with itself (ML.NET's rule); the contract's models serve every check.
        var engine = _ml.Model.CreatePredictionEngine<ContractRow, TPrediction>(transformer,
            new PredictionEngineOptions { InputSchemaDefinition = input, OutputSchemaDefinition = output, OwnsTransformer = false });
        engines.Add(engine);
        return row => value(engine.Predict(row));
    }
}
