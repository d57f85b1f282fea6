using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>The contract's comparisons see the differences they exist to see (so a green contract means something).</summary>
[TestClass]
public sealed class ContractComparisonTests
{
    [TestMethod]
    public void ValuesDifferBeyondTheToleranceOnly()
    {
        object?[] a = [1f, 2f, float.NaN], close = [1f, 2.000001f, float.NaN], far = [1f, 2.1f, float.NaN];
        Assert.IsNull(ColumnValues.Difference(a, close, 1e-5));
        StringAssert.Contains(ColumnValues.Difference(a, close, 0), "slot 1");
        StringAssert.Contains(ColumnValues.Difference(a, far, 1e-5), "slot 1");
        StringAssert.Contains(ColumnValues.Difference(a, new object?[] { 1f, 2f }, 1e-5), "3 values vs 2");
        StringAssert.Contains(ColumnValues.Difference("row 1", "row 2", 1), "row 1 vs row 2");
    }

    [TestMethod]
    public void SchemasDifferInTypeHiddennessAndSlotNames()
    {
        var ml = new MLContext(seed: 1);
        var rows = ContractData.Rows(3, 4);
        var plain = ContractData.View(ml, rows, 4).Schema;
        var named = ContractData.View(ml, rows, 4, slotNames: true).Schema;
        Assert.IsNull(SchemaComparison.Difference(plain, ContractData.View(ml, rows, 4).Schema));
        StringAssert.Contains(SchemaComparison.Difference(plain, named), "annotations");
        StringAssert.Contains(SchemaComparison.Difference(plain, ContractData.View(ml, rows, 4, groups: 5).Schema), "type");
        var copied = ml.Transforms.CopyColumns("Features", "Label").Fit(ml.Data.LoadFromEnumerable(rows, ContractData.Definition(4))).Transform(ml.Data.LoadFromEnumerable(rows, ContractData.Definition(4))).Schema;
        StringAssert.Contains(SchemaComparison.Difference(plain, copied), "columns");

        var shape = Shapes.Of(plain);
        Assert.IsNull(SchemaComparison.Difference(shape, Shapes.Of(ContractData.View(ml, rows, 6).Schema)), "a SchemaShape does not carry sizes");
        StringAssert.Contains(SchemaComparison.Difference(shape, Shapes.Of(named)), "annotations");
        StringAssert.Contains(SchemaComparison.Difference(shape, Shapes.Of(ContractData.View(ml, rows, 4, groups: 0).Schema)), "key");
    }

    [TestMethod]
    public void SlotNamesOfAnotherSizeBreakTheAnnotationRule()
    {
        var definition = ContractData.Definition(4);
        var features = definition["Features"];
        var names = new VBuffer<ReadOnlyMemory<char>>(3, ["a".AsMemory(), "b".AsMemory(), "c".AsMemory()]);
        features.AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, 3));
        var schema = new MLContext(seed: 1).Data.LoadFromEnumerable(ContractData.Rows(2, 4), definition).Schema;
        StringAssert.Contains(SchemaComparison.AnnotationProblem(schema["Features"]), "has slot names of type");
        Assert.IsNull(SchemaComparison.AnnotationProblem(ContractData.View(new MLContext(seed: 1), ContractData.Rows(2, 4), 4, slotNames: true).Schema["Features"]));
    }
}
