namespace Vae.MLNet.Trainers;

/// <summary>Argument checks shared by the options classes, so every message names the field and the value.</summary>
internal static class OptionChecks
{
    public static void Require(bool ok, string field, object? value, string expected)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be {expected}; got {value}.");
    }
}
