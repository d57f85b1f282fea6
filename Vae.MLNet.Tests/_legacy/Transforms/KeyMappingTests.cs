using Vae.MLNet.Data;
using Vae.MLNet.Tests.Data;
using Vae.MLNet.Transforms;

namespace Vae.MLNet.Tests.Transforms;

[TestClass]
public sealed class KeyMappingTests
{
    private sealed class Row
    {
        public string Label { get; set; } = "";

        public float Number { get; set; }

        [VectorType(2)]
        public string[] Tags { get; set; } = [];
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new Row { Label = "cat", Number = 3, Tags = ["b", "a"] },
        new Row { Label = "dog", Number = float.NaN, Tags = ["a", "c"] },
        new Row { Label = "cat", Number = 1, Tags = ["c", "c"] },
        new Row { Label = "ant", Number = 3, Tags = ["a", "b"] },
    });

    [TestMethod]
    public void KeysFollowFirstOccurrence()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var output = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data).Transform(data);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), output.Schema["Key"].Type);
        CollectionAssert.AreEqual(new uint[] { 1, 2, 1, 3 }, TestData.Column<uint>(output, "Key"));
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["Key"].GetKeyValues(ref values);
        CollectionAssert.AreEqual(new[] { "cat", "dog", "ant" }, values.DenseValues().Select(v => v.ToString()).ToArray());
    }

    [TestMethod]
    public void KeysByValueAreSortedAndNaNIsMissing()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var byValue = ml.Transforms.Conversion.MapValueToKey("Key", "Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data).Transform(data);
        CollectionAssert.AreEqual(new uint[] { 2, 3, 2, 1 }, TestData.Column<uint>(byValue, "Key"));

        var numbers = ml.Transforms.Conversion.MapValueToKey("Key", "Number", addKeyValueAnnotationsAsText: true).Fit(data).Transform(data);
        CollectionAssert.AreEqual(new uint[] { 1, 0, 2, 1 }, TestData.Column<uint>(numbers, "Key"));
        var text = default(VBuffer<ReadOnlyMemory<char>>);
        numbers.Schema["Key"].GetKeyValues(ref text);
        CollectionAssert.AreEqual(new[] { "3", "1" }, text.DenseValues().Select(v => v.ToString()).ToArray());
    }

    [TestMethod]
    public void UnseenValuesAndKeyLimitMapToZero()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var transformer = ml.Transforms.Conversion.MapValueToKey("Key", "Label", maximumNumberOfKeys: 2).Fit(data);
        CollectionAssert.AreEqual(new uint[] { 1, 2, 1, 0 }, TestData.Column<uint>(transformer.Transform(data), "Key"));
        var unseen = ml.Data.LoadFromEnumerable(new[] { new Row { Label = "eel", Tags = ["a", "a"] } });
        CollectionAssert.AreEqual(new uint[] { 0 }, TestData.Column<uint>(transformer.Transform(unseen), "Key"));
    }

    [TestMethod]
    public void VectorsMapItemByItemAndMapBack()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Keys", "Tags")
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Keys"));
        var output = pipeline.Fit(data).Transform(data);
        Assert.AreEqual(new VectorDataViewType(new KeyDataViewType(typeof(uint), 3), 2), output.Schema["Keys"].Type);
        var keys = TestData.Column<VBuffer<uint>>(output, "Keys").Select(v => v.DenseValues().ToArray()).ToList();
        CollectionAssert.AreEqual(new uint[] { 1, 2 }, keys[0]);
        CollectionAssert.AreEqual(new uint[] { 3, 3 }, keys[2]);
        var back = TestData.Column<VBuffer<ReadOnlyMemory<char>>>(output, "Back");
        CollectionAssert.AreEqual(new[] { "a", "c" }, back[1].DenseValues().Select(v => v.ToString()).ToArray());
    }

    [TestMethod]
    public void KeyToValueGivesNaNForMissingKeys()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var output = ml.Transforms.Conversion.MapValueToKey("Key", "Number")
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Key")).Fit(data).Transform(data);
        TestData.AreClose([3f, float.NaN, 1f, 3f], TestData.Column<float>(output, "Back"));
    }

    [TestMethod]
    public void KeyDataDefinesTheDictionary()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var keyData = ml.Data.LoadFromEnumerable(new[] { new Row { Label = "dog" }, new Row { Label = "cat" } });
        var output = ml.Transforms.Conversion.MapValueToKey("Key", "Label", keyData: keyData).Fit(data).Transform(data);
        CollectionAssert.AreEqual(new uint[] { 2, 1, 2, 0 }, TestData.Column<uint>(output, "Key"));
    }

    [TestMethod]
    public void KeyToValueNeedsKeysWithValues()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.Conversion.MapKeyToValue("Back", "Number").Fit(data));
        StringAssert.Contains(e.Message, "'Number'");
        StringAssert.Contains(e.Message, "key");
    }
}
