using FsCheck;
using FsCheck.Fluent;

namespace Vae.MLNet.Tests.Support;

/// <summary>
/// Settings of the FsCheck properties. Runs are reproducible by default (a fixed seed per property); set
/// <c>VAE_FUZZ_RANDOM=1</c> to explore with fresh seeds and <c>VAE_FUZZ_TESTS=n</c> to run n cases per property.
/// Inputs that fail are saved (see <see cref="Outcomes.SaveFailure"/>) for the corpus.
/// </summary>
internal static class Fuzz
{
    public static Config Config(int tests, ulong seed)
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("VAE_FUZZ_TESTS"), out int n) && n > 0 ? n : tests;
        var config = FsCheck.Config.QuickThrowOnFailure.WithMaxTest(count).WithQuietOnSuccess(true);
        return Environment.GetEnvironmentVariable("VAE_FUZZ_RANDOM") == "1" ? config : config.WithReplay(seed, 0x9E3779B97F4A7C15UL);
    }

    /// <summary>Checks <paramref name="property"/> on <paramref name="tests"/> cases drawn from <paramref name="gen"/>.</summary>
    public static void Check<T>(Gen<T> gen, Action<T> property, int tests, ulong seed) =>
        Prop.ForAll(gen.ToArbitrary(), property).Check(Config(tests, seed));
}
