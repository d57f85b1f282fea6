namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>
/// A deterministic greedy covering array (AETG, Cohen et al. 1997): rows of factor levels such that every
/// combination of <c>strength</c> factors' levels (every pair at strength 2) appears in some row. Each new row is
/// the best of a few candidates, each grown from the first uncovered tuple by giving the other factors, in a
/// shuffled order, the level that covers the most uncovered tuples with the factors already set; under a constraint,
/// a row it refuses is repaired by putting factors back to level 0 one at a time.
/// </summary>
internal sealed class CoveringDesign
{
    /// <summary>The rows: for each, one level index per factor.</summary>
    public IReadOnlyList<int[]> Rows { get; }

    /// <summary>Tuples no allowed row could cover (empty without a constraint).</summary>
    public IReadOnlyList<string> Infeasible { get; }

    private CoveringDesign(IReadOnlyList<int[]> rows, IReadOnlyList<string> infeasible)
    {
        Rows = rows;
        Infeasible = infeasible;
    }

    /// <summary>
    /// Covers every <paramref name="strength"/>-tuple of <paramref name="levels"/> (the number of levels of each
    /// factor) by rows that <paramref name="allowed"/> accepts; tuples that no candidate row covers are dropped
    /// into <see cref="Infeasible"/>.
    /// </summary>
    public static CoveringDesign Generate(int[] levels, int strength = 2, Func<int[], bool>? allowed = null, int seed = 1, int candidates = 24)
    {
        if (strength < 1 || strength > levels.Length) throw new ArgumentOutOfRangeException(nameof(strength), strength, $"strength must be between 1 and the {levels.Length} factors.");
        var random = new Random(seed);
        var factorSets = Subsets(levels.Length, strength).ToArray();
        var uncovered = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var factors in factorSets)
            foreach (var values in LevelTuples(factors.Select(f => levels[f]).ToArray()))
                uncovered.Add(Key(factors, values));
        var rows = new List<int[]>();
        var infeasible = new List<string>();
        while (uncovered.Count > 0)
        {
            string first = uncovered.Min!;
            int[]? best = null;
            int bestGain = 0;
            for (int c = 0; c < candidates; c++)
            {
                var row = Grow(first, levels, strength, uncovered, random);
                if (allowed is not null && !allowed(row) && Repair(row, levels, first, allowed, random) is null) continue;
                int gain = factorSets.Count(factors => uncovered.Contains(Key(factors, factors.Select(f => row[f]).ToArray())));
                if (gain > bestGain) (best, bestGain) = (row, gain);
            }
            if (best is null)
            {
                uncovered.Remove(first);
                infeasible.Add(first);
                continue;
            }
            rows.Add(best);
            foreach (var factors in factorSets) uncovered.Remove(Key(factors, factors.Select(f => best[f]).ToArray()));
        }
        return new CoveringDesign(rows, infeasible);
    }

    /// <summary>The tuples of <paramref name="strength"/> factors that no row covers.</summary>
    public static IEnumerable<string> Uncovered(IReadOnlyList<int[]> rows, int[] levels, int strength)
    {
        var covered = rows.SelectMany(row => Subsets(levels.Length, strength).Select(factors => Key(factors, factors.Select(f => row[f]).ToArray()))).ToHashSet();
        return Subsets(levels.Length, strength)
            .SelectMany(factors => LevelTuples(factors.Select(f => levels[f]).ToArray()).Select(values => Key(factors, values)))
            .Where(key => !covered.Contains(key));
    }

    private static int[] Grow(string seedTuple, int[] levels, int strength, SortedSet<string> uncovered, Random random)
    {
        var row = Enumerable.Repeat(-1, levels.Length).ToArray();
        foreach (var (factor, level) in Parse(seedTuple)) row[factor] = level;
        var rest = Enumerable.Range(0, levels.Length).Where(f => row[f] < 0).OrderBy(_ => random.Next()).ToArray();
        foreach (int factor in rest)
        {
            var assigned = Enumerable.Range(0, levels.Length).Where(f => row[f] >= 0).ToArray();
            var partners = Subsets(assigned.Length, strength - 1).Select(s => s.Select(i => assigned[i]).ToArray()).ToArray();
            int bestLevel = random.Next(levels[factor]), bestCount = -1;
            foreach (int level in Enumerable.Range(0, levels[factor]).OrderBy(_ => random.Next()))
            {
                row[factor] = level;
                int count = partners.Count(p =>
                {
                    var factors = p.Append(factor).Order().ToArray();
                    return uncovered.Contains(Key(factors, factors.Select(f => row[f]).ToArray()));
                });
                if (count > bestCount) (bestLevel, bestCount) = (level, count);
            }
            row[factor] = bestLevel;
        }
        return row;
    }

    /// <summary>
    /// Makes a refused row allowed, keeping the seed tuple: first by changing one other factor to any level; failing
    /// that, puts one other factor back to level 0 (the defaults, which conflict least) and tries again. Null when
    /// every other factor is at 0 and the row is still refused.
    /// </summary>
    private static int[]? Repair(int[] row, int[] levels, string seedTuple, Func<int[], bool> allowed, Random random)
    {
        var fixedFactors = Parse(seedTuple).Select(p => p.factor).ToHashSet();
        var free = Enumerable.Range(0, row.Length).Where(f => !fixedFactors.Contains(f)).OrderBy(_ => random.Next()).ToArray();
        while (true)
        {
            foreach (int factor in free)
            {
                int kept = row[factor];
                for (int level = 0; level < levels[factor]; level++)
                {
                    row[factor] = level;
                    if (allowed(row)) return row;
                }
                row[factor] = kept;
            }
            int reset = Array.FindIndex(free, f => row[f] != 0);
            if (reset < 0) return null;
            row[free[reset]] = 0;
        }
    }

    /// <summary>"f:level,f:level" with the factors in increasing order.</summary>
    internal static string Key(int[] factors, int[] values) => string.Join(",", factors.Select((f, i) => $"{f}:{values[i]}"));

    private static IEnumerable<(int factor, int level)> Parse(string key) =>
        key.Split(',').Select(part => part.Split(':')).Select(p => (int.Parse(p[0]), int.Parse(p[1])));

    /// <summary>The <paramref name="size"/>-element subsets of 0..n−1, each in increasing order.</summary>
    internal static IEnumerable<int[]> Subsets(int n, int size)
    {
        if (size == 0) { yield return []; yield break; }
        var index = Enumerable.Range(0, size).ToArray();
        while (true)
        {
            yield return (int[])index.Clone();
            int i = size - 1;
            while (i >= 0 && index[i] == n - size + i) i--;
            if (i < 0) yield break;
            index[i]++;
            for (int j = i + 1; j < size; j++) index[j] = index[j - 1] + 1;
        }
    }

    private static IEnumerable<int[]> LevelTuples(int[] counts)
    {
        var values = new int[counts.Length];
        while (true)
        {
            yield return (int[])values.Clone();
            int i = counts.Length - 1;
            while (i >= 0 && ++values[i] == counts[i]) values[i--] = 0;
            if (i < 0) yield break;
        }
    }
}
