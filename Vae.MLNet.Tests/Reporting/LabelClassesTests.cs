using Vae.MLNet.Reporting;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed class LabelClassesTests
{
    [TestMethod]
    public void FewNumbersBecomeClassesInNumericOrder()
    {
        var classes = LabelClasses.From([new(null, 2), new(null, 0.5), new(null, 2), new(null, -1)]);
        CollectionAssert.AreEqual(new[] { "-1", "0.5", "2" }, classes.Styles.Select(s => s.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 2, 1, 2, 0 }, classes.ClassOfRow);
        Assert.AreEqual("3 classes", classes.Kind);
    }

    [TestMethod]
    public void ManyNumbersAreCutIntoRoundRangesOnASequentialScale()
    {
        var values = Enumerable.Range(0, 100).Select(i => new LabelValue(null, i * 0.1)).Append(new LabelValue(null, double.NaN)).ToArray();
        var classes = LabelClasses.From(values);
        // [0, 9.9] in at most 7 ticks: step 2 from 0 to 10, five ranges, plus the non-numbers.
        CollectionAssert.AreEqual(new[] { "0 to 2", "2 to 4", "4 to 6", "6 to 8", "8 to 10", "not a number" }, classes.Styles.Select(s => s.Name).ToArray());
        Assert.AreEqual(0, classes.ClassOfRow[0]);
        Assert.AreEqual(1, classes.ClassOfRow[25]);
        Assert.AreEqual(4, classes.ClassOfRow[99]);
        Assert.AreEqual(5, classes.ClassOfRow[100]);
        Assert.AreEqual("#440154", classes.Styles[0].Color.ToHex()[..7].ToUpperInvariant(), "the lowest range is viridis' dark purple");
    }

    [TestMethod]
    public void NamesFollowKeyOrderAndTheRarestShareAnOtherClass()
    {
        var keys = LabelClasses.From([new("dog", 2), new("cat", 1), new("dog", 2)]);
        CollectionAssert.AreEqual(new[] { "cat", "dog" }, keys.Styles.Select(s => s.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 0, 1 }, keys.ClassOfRow);

        // 40 names; name i appears i + 1 times, so names 0..8 are the rarest.
        var many = Enumerable.Range(0, 40).SelectMany(i => Enumerable.Repeat(new LabelValue($"n{i:D2}", double.NaN), i + 1)).ToArray();
        var classes = LabelClasses.From(many);
        Assert.AreEqual(LabelClasses.MaxClasses, classes.Styles.Count);
        Assert.AreEqual("n09", classes.Styles[0].Name, "kept classes in name order");
        Assert.AreEqual("other (9 classes)", classes.Styles[^1].Name);
        Assert.AreEqual(LabelClasses.MaxClasses - 1, classes.ClassOfRow[0], "n00 is in the other class");
    }
}
