namespace Vae.MLNet;

/// <summary>Constants of the model zip format (see docs/model-format.md).</summary>
internal static class ModelFormat
{
    public const string FormatName = "Vae.MLNet.Model";
    public const int FormatVersion = 1;
    public const string ManifestEntry = "manifest.json";
    public const string ComponentEntry = "component.json";
    public const string ArraysEntry = "arrays.bin";
    public const string TransformersFolder = "transformers/";
    public const string SubModelsFolder = "sub/";

    /// <summary>Kinds, array and sub-model names: a letter, then letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 128 && char.IsAsciiLetter(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>
    /// Zip entry names a model may hold: relative '/'-separated paths whose segments are letters, digits, '.', '_'
    /// and '-', never empty, "." or ".." (so no absolute paths, drive letters, backslashes or traversal); a trailing
    /// '/' marks a folder entry.
    /// </summary>
    public static bool IsSafeEntryName(string name)
    {
        if (name.Length is 0 or > 1024)
            return false;
        foreach (var segment in (name.EndsWith('/') ? name[..^1] : name).Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return false;
        }
        return true;
    }

    public static void CheckName(string? name, string what)
    {
        if (!IsValidName(name))
            throw new ArgumentException($"Invalid {what} '{name}': use 1-128 characters, a letter first, then letters, digits, '.', '_' or '-'.", what);
    }
}

/// <summary>Bounds on what a model load reads, so a hostile or corrupt file cannot exhaust memory.</summary>
internal sealed record ModelReadLimits
{
    public static ModelReadLimits Default { get; } = new();

    /// <summary>Largest uncompressed size of one entry.</summary>
    public long MaxEntryBytes { get; init; } = Array.MaxLength;

    /// <summary>Largest uncompressed size of all entries read together.</summary>
    public long MaxTotalBytes { get; init; } = 4L << 30;

    /// <summary>Largest manifest or component.json.</summary>
    public long MaxJsonBytes { get; init; } = 64L << 20;

    /// <summary>Largest uncompressed/compressed ratio accepted for entries above <see cref="RatioCheckThreshold"/> bytes.</summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Entries smaller than this are not ratio-checked (small JSON compresses well legitimately).</summary>
    public long RatioCheckThreshold { get; init; } = 1L << 20;

    /// <summary>Largest number of entries in the zip.</summary>
    public int MaxEntries { get; init; } = 100_000;
}
