using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Contract;

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
