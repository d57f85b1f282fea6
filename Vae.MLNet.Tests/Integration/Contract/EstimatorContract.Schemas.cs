using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Contract;

// The schema checks: what the estimator and the transformer promise, what they refuse, what the annotations say.
internal sealed partial class EstimatorContract
{
    /// <summary>The estimator's SchemaShape is the fitted transformer's schema (names, kinds, item types, keys, annotations).</summary>
    private void EstimatorShapeIsTheTransformersSchema()
    {
        var promised = _estimator.GetOutputSchema(Shapes.Of(_data.Schema));
        foreach (var (transformer, which) in new[] { (_transformer, "fitted"), (_loaded, "loaded") })
            if (SchemaComparison.Difference(promised, Shapes.Of(transformer.GetOutputSchema(_data.Schema))) is { } difference)
                Assert.Fail($"the estimator's GetOutputSchema vs the {which} transformer's: {difference}");
    }

    /// <summary>GetOutputSchema is the schema of Transform's view, of its cursors, of the row mapper, and of the loaded model.</summary>
    private void OutputSchemaIsTransformsSchema()
    {
        var schema = _transformer.GetOutputSchema(_data.Schema);
        AssertSameSchema(schema, _view.Schema, "GetOutputSchema vs Transform(data).Schema");
        AssertSameSchema(_data.Schema, _loadedInputSchema, "the input schema saved with the model vs the data's");
        AssertSameSchema(schema, _loaded.GetOutputSchema(_data.Schema), "GetOutputSchema vs the loaded model's");
        AssertSameSchema(schema, _loaded.Transform(_data).Schema, "GetOutputSchema vs the loaded model's Transform(data).Schema");
        AssertSameSchema(schema, _transformer.GetRowToRowMapper(_data.Schema).OutputSchema, "GetOutputSchema vs GetRowToRowMapper's OutputSchema");
        using var cursor = _view.GetRowCursor(_view.Schema);
        // ML.NET's CheckSameValues asks for the very object.
        Assert.AreSame(_view.Schema, cursor.Schema, "a cursor's Schema is its view's");
    }

    /// <summary>Each invalid input is refused with ArgumentOutOfRangeException by everyone who must refuse it, before any training.</summary>
    private void InvalidInputIsRefused()
    {
        var problems = new List<string>();
        void MustRefuse(string what, Action action)
        {
            try
            {
                action();
                problems.Add($"{what}: accepted");
            }
            catch (ArgumentOutOfRangeException)
            {
            }
            catch (Exception e)
            {
                problems.Add($"{what}: {e.GetType().Name} ({e.Message})");
            }
        }
        foreach (var invalid in InvalidInputs())
        {
            var data = invalid.Data;
            if (invalid.RefusedBy == RefusedBy.EstimatorAndTransformer)
                MustRefuse($"estimator.GetOutputSchema, {invalid.Description}", () => _estimator.GetOutputSchema(Shapes.Of(data.Schema)));
            if (invalid.RefusedBy != RefusedBy.Transformer)
                MustRefuse($"estimator.Fit, {invalid.Description}", () => (_estimator.Fit(data) as IDisposable)?.Dispose());
            if (invalid.RefusedBy == RefusedBy.Fit) continue;
            foreach (var (transformer, which) in new[] { (_transformer, "transformer"), (_loaded, "loaded transformer") })
            {
                MustRefuse($"{which}.GetOutputSchema, {invalid.Description}", () => transformer.GetOutputSchema(data.Schema));
                MustRefuse($"{which}.Transform, {invalid.Description}", () => transformer.Transform(data));
                MustRefuse($"{which}.GetRowToRowMapper, {invalid.Description}", () => transformer.GetRowToRowMapper(data.Schema));
            }
        }
        if (problems.Count > 0) Assert.Fail("Not refused with ArgumentOutOfRangeException:\n" + string.Join("\n", problems));
    }

    /// <summary>The Features column missing, of Double, of unknown size, of another size; and the case's own.</summary>
    private IEnumerable<InvalidInput> InvalidInputs()
    {
        int size = _case.FeatureSize;
        yield return new("no Features column", ContractData.View(_ml, _rows, size, featuresName: "Other"), RefusedBy.EstimatorAndTransformer);
        yield return new("Features of Double", ContractData.DoubleView(_ml, _rows, size), RefusedBy.EstimatorAndTransformer);
        yield return new("Features of unknown size", ContractData.View(_ml, _rows, 0), RefusedBy.EstimatorAndTransformer);
        var fewer = ContractData.Resized(_rows, size - 2);
        yield return new($"Features of {size - 2} values", ContractData.View(_ml, fewer, size - 2),
            _case.SizeFixedAtFit ? RefusedBy.FitAndTransformer : RefusedBy.Transformer);
        if (_case.MoreInvalidInputs is { } more)
            foreach (var invalid in more(_ml, _rows)) yield return invalid;
    }

    /// <summary>ML.NET's annotation rules hold on every column, and the columns the case names carry slot names.</summary>
    private void AnnotationsAreSizedLikeTheirColumns()
    {
        foreach (var column in _view.Schema)
            if (SchemaComparison.AnnotationProblem(column) is { } problem) Assert.Fail(problem);
        foreach (string name in _case.SlotNamedColumns)
        {
            var column = _view.Schema[name];
            Assert.IsTrue(column.HasSlotNames(), $"column '{name}' has slot names");
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            column.GetSlotNames(ref names);
            Assert.AreEqual(((VectorDataViewType)column.Type).Size, names.Length, $"slot names of '{name}'");
            Assert.IsTrue(names.DenseValues().All(n => !n.IsEmpty), $"every slot of '{name}' has a name");
        }
        var inputNames = default(VBuffer<ReadOnlyMemory<char>>);
        if (_case.InputSlotNamedColumns.Length > 0) _data.Schema["Features"].GetSlotNames(ref inputNames);
        foreach (string name in _case.InputSlotNamedColumns)
        {
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            _view.Schema[name].GetSlotNames(ref names);
            if (ColumnValues.Difference(ColumnValues.Copy(inputNames), ColumnValues.Copy(names), 0) is { } difference)
                Assert.Fail($"the slot names of '{name}' vs the input's: {difference}");
        }
    }
}
