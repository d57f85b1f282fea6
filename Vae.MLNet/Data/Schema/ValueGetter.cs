namespace Vae.MLNet;

/// <summary>
/// Reads the current row's value of a column into <paramref name="value"/>. For vectors the caller owns the buffer:
/// the getter writes into the arrays of <paramref name="value"/> (reusing them when big enough) and never hands out
/// arrays it writes to later, so callers may keep what they received.
/// </summary>
public delegate void ValueGetter<TValue>(ref TValue value);
