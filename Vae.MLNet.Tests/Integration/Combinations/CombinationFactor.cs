namespace Vae.MLNet.Tests.Integration.Combinations;

/// <summary>
/// One factor of a combination test: its levels, how a level sets the options, the options it sets (for the
/// refusal messages) and, for the effect check, the level that leaves those options at their defaults.
/// </summary>
/// <param name="Name">The factor, as the report names it.</param>
/// <param name="Levels">Each level's description; level 0 is the options' default where there is one.</param>
/// <param name="Apply">Sets the options for a level (level 0 may do nothing).</param>
/// <param name="Options">The option names this factor sets.</param>
/// <param name="DefaultOf">The level to compare a level with in the effect check (null: no check, e.g. the row count).</param>
/// <param name="EffectDependsOnData">Combinations (all factors' levels) where whether this factor changes the model depends on the data, so no effect can be required.</param>
internal sealed record CombinationFactor<TOptions>(string Name, string[] Levels, Action<TOptions, int> Apply, string[] Options, Func<int, int?>? DefaultOf = null,
    Func<int[], bool>? EffectDependsOnData = null)
{
    /// <summary>The level whose effect a level's is measured against: level 0 unless <see cref="DefaultOf"/> says otherwise; null for level 0.</summary>
    public int? Baseline(int level) => DefaultOf is { } of ? of(level) : level == 0 ? null : 0;
}
