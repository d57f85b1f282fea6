
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>The covering-array generator behind the combination tests covers what it claims, in few rows.</summary>
[TestClass]
public sealed class CoveringDesignTests
{
    // The shapes of the two combination tests' factors, and a textbook case: 3⁴ has a pairwise array of 9 rows.
    public static IEnumerable<object[]> Shapes =>
    [
        [new[] { 2, 3, 2, 2, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 2, 3 }, 2],
        [new[] { 2, 2, 2, 3, 3, 2, 2, 3, 3, 3 }, 2],
        [new[] { 3, 3, 3, 3 }, 2],
        [new[] { 2, 3, 2, 2, 3, 2 }, 3],
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void EveryTupleOfLevelsIsInSomeRow(int[] levels, int strength)
    {
        var design = CoveringDesign.Generate(levels, strength);
        Assert.IsEmpty(CoveringDesign.Uncovered(design.Rows, levels, strength).ToArray());
        Assert.IsEmpty(design.Infeasible);
        Assert.IsTrue(design.Rows.All(r => r.Length == levels.Length && r.Select((level, f) => level >= 0 && level < levels[f]).All(ok => ok)), "every level is in range");
        long exhaustive = levels.Aggregate(1L, (a, b) => a * b);
        int largest = levels.OrderDescending().Take(strength).Aggregate(1, (a, b) => a * b);
        Assert.IsGreaterThanOrEqualTo(largest, design.Rows.Count);
        Assert.IsLessThan(Math.Min(exhaustive, 4 * largest + 8), design.Rows.Count, $"{design.Rows.Count} rows: far fewer than the {exhaustive} combinations");
    }

    [TestMethod]
    public void TheDesignRepeatsForASeed()
    {
        int[] levels = [2, 3, 2, 3, 2];
        var first = CoveringDesign.Generate(levels).Rows.Select(r => string.Join(",", r)).ToArray();
        var second = CoveringDesign.Generate(levels).Rows.Select(r => string.Join(",", r)).ToArray();
        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void AConstraintKeepsRowsOutAndDropsOnlyTheTuplesNoAllowedRowHolds()
    {
        int[] levels = [2, 2, 3, 2];
        // Factor 0 at level 1 forbids factor 2 at level 2: that pair is infeasible, every other pair is covered.
        bool Allowed(int[] row) => !(row[0] == 1 && row[2] == 2);
        var design = CoveringDesign.Generate(levels, allowed: Allowed);
        Assert.IsTrue(design.Rows.All(Allowed));
        CollectionAssert.AreEqual(new[] { "0:1,2:2" }, design.Infeasible.ToArray());
        CollectionAssert.AreEqual(new[] { "0:1,2:2" }, CoveringDesign.Uncovered(design.Rows, levels, 2).ToArray());
    }
}
