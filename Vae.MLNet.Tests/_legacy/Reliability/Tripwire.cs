namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// A type a hostile model file names as its kind. If any loader ever resolved kinds through reflection, creating it
/// (or touching its static state) would set <see cref="TripwireLog.Triggered"/>.
/// </summary>
public sealed class Tripwire
{
    static Tripwire() => TripwireLog.Triggered = true;

    /// <summary>Sets <see cref="TripwireLog.Triggered"/>.</summary>
    public Tripwire() => TripwireLog.Triggered = true;
}

/// <summary>Whether <see cref="Tripwire"/> was ever initialized; a separate type, so reading it does not initialize the tripwire.</summary>
public static class TripwireLog
{
    /// <summary>Set by <see cref="Tripwire"/>'s constructors.</summary>
    public static bool Triggered { get; set; }
}
