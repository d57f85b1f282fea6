using System.Collections;
using System.Globalization;

namespace Vae.MLNet.OptionChecks;

/// <summary>
/// One rule of an options table: when <see cref="Option"/> is set (differs from its documented default) it must
/// apply in the combination, or it would be silently ignored. <see cref="Conflicting"/> names the options the
/// rule depends on, and <see cref="Reason"/> says why the option has no effect there and what to do.
/// </summary>
/// <param name="Option">The option's field name, also the exception's ParamName.</param>
/// <param name="Conflicting">The options whose values decide whether <paramref name="Option"/> applies.</param>
/// <param name="IsSet">Whether the option differs from its default.</param>
/// <param name="Applies">Whether the option changes the model in this combination.</param>
/// <param name="Reason">Why it does not apply, and what to do instead.</param>
internal sealed record OptionRule<TOptions>(string Option, string[] Conflicting, Func<TOptions, bool> IsSet, Func<TOptions, bool> Applies, string Reason);

/// <summary>
/// Walks a table of <see cref="OptionRule{TOptions}"/>: every option that is set has an effect, or the options are
/// refused before any data is read (the VAE's table: <see cref="VaeOptionApplicability"/>; the autoencoder's:
/// <see cref="Autoencoder.AutoencoderOptionApplicability"/>).
/// </summary>
internal static class OptionApplicability
{
    /// <exception cref="ArgumentException">A set option has no effect with the others (ParamName is the option; the message names the conflicting ones).</exception>
    public static void Check<TOptions>(TOptions options, IEnumerable<OptionRule<TOptions>> rules)
    {
        foreach (var rule in rules)
            if (rule.IsSet(options) && !rule.Applies(options))
                throw new ArgumentException(Message(options, rule), rule.Option);
    }

    /// <summary>"ObservationVariance = 0.5 has no effect with Likelihood = Bernoulli: …".</summary>
    public static string Message<TOptions>(TOptions options, OptionRule<TOptions> rule)
    {
        string with = rule.Conflicting.Length == 0 ? "" : " with " + string.Join(" and ", rule.Conflicting.Select(c => Describe(options, c)));
        return $"{Describe(options, rule.Option)} has no effect{with}: {rule.Reason}";
    }

    /// <summary>"Name = value" for a public field of the options, formatted as C# would write it.</summary>
    public static string Describe<TOptions>(TOptions options, string name)
    {
        var field = typeof(TOptions).GetField(name) ?? throw new InvalidOperationException($"{typeof(TOptions).Name} has no field {name}.");
        return $"{name} = {Format(field.GetValue(options))}";
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(Format))}]",
        _ => value.ToString() ?? "",
    };
}
