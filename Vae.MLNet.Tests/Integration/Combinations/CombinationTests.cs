using System.Diagnostics;
using Vae.MLNet.Autoencoder;
using Vae.MLNet.OptionChecks;

namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>
/// Every pair of levels of the factors that change the network, the objective or the data path of VaeEncode and
/// AutoencoderEncode (a covering array, <see cref="CoveringDesign"/>): each combination is either refused before
/// training naming the conflicting options, or fits a model whose outputs are finite, agree between Transform, a
/// PredictionEngine, a loaded copy and ONNX, and change with every factor that is set (see
/// <see cref="CombinationRunner{TOptions}"/>). Two designs each: over all combinations (which covers the refusals),
/// and over the combinations the options accept (so every pair that can fit is fitted and checked).
/// </summary>
[TestClass]
public sealed class CombinationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void VaeEncodeEveryPairOfLevels() => Run(new VaeCombinations(), accepted: null);

    [TestMethod]
    public void VaeEncodeEveryPairOfLevelsTheOptionsAccept() => Run(new VaeCombinations(), accepted: o => Accepts(() => VaeOptionsValidation.Validate(o)));

    [TestMethod]
    public void AutoencoderEncodeEveryPairOfLevels() => Run(new AutoencoderCombinations(), accepted: null);

    [TestMethod]
    public void AutoencoderEncodeEveryPairOfLevelsTheOptionsAccept() =>
        Run(new AutoencoderCombinations(), accepted: o => Accepts(() => AutoencoderOptionsValidation.Validate(o)));

    private static bool Accepts(Action validate)
    {
        try
        {
            validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private void Run<TOptions>(CombinationSubject<TOptions> subject, Func<TOptions, bool>? accepted) where TOptions : class
    {
        var clock = Stopwatch.StartNew();
        var design = CoveringDesign.Generate(subject.LevelCounts, strength: 2, allowed: accepted is null ? null : levels => accepted(subject.Options(levels)));
        string folder = Path.Combine(Path.GetTempPath(), $"vae-combinations-{Guid.NewGuid():N}");
        var outcomes = new List<CombinationOutcome>();
        try
        {
            var runner = new CombinationRunner<TOptions>(subject, folder);
            foreach (var levels in design.Rows)
            {
                var outcome = runner.Run(levels, checkOnnx: true);
                outcomes.Add(outcome);
                string verdict = outcome.Refused ? $"refused: {outcome.Refusal}" : outcome.Failures.Count == 0 ? "passed" : "FAILED";
                TestContext.WriteLine($"[{outcome.Seconds:F1} s{(outcome.Timing == "" ? "" : ": " + outcome.Timing)}] {outcome.Combination}\n    {verdict}{string.Concat(outcome.Failures.Select(f => "\n    - " + f))}");
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        int refused = outcomes.Count(o => o.Refused), failed = outcomes.Count(o => o.Failures.Count > 0);
        TestContext.WriteLine($"{outcomes.Count} combinations ({design.Infeasible.Count} pairs no accepted combination holds): {refused} refused, " +
            $"{outcomes.Count - refused - failed} passed, {failed} failed, in {clock.Elapsed.TotalSeconds:F0} s");
        foreach (string pair in design.Infeasible) TestContext.WriteLine($"  never accepted: {DescribePair(subject, pair)}");
        var failures = outcomes.Where(o => o.Failures.Count > 0).Select(o => $"{o.Combination}:\n  - {string.Join("\n  - ", o.Failures)}").ToArray();
        Assert.IsEmpty(failures, $"{failures.Length} of {outcomes.Count} combinations failed:\n{string.Join("\n", failures)}");
    }

    private static string DescribePair<TOptions>(CombinationSubject<TOptions> subject, string pair) where TOptions : class =>
        string.Join(" with ", pair.Split(',').Select(p => p.Split(':')).Select(p => subject.Factors[int.Parse(p[0])]).Zip(pair.Split(','))
            .Select(x => $"{x.First.Name} {x.First.Levels[int.Parse(x.Second.Split(':')[1])]}"));
}
