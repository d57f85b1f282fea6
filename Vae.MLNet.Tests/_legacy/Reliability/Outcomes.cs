using System.Security.Cryptography;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Judges how the library reacted to hostile input: an allowed exception type, a message, and no crash type (null
/// dereference, index out of range, overflow, out of memory, ...) anywhere in the exception's chain, since a loader
/// that wraps a <see cref="NullReferenceException"/> in an <see cref="InvalidDataException"/> still missed a check.
/// </summary>
internal static class Outcomes
{
    private static readonly Type[] _crashTypes =
    [
        typeof(NullReferenceException), typeof(IndexOutOfRangeException), typeof(OverflowException), typeof(OutOfMemoryException),
        typeof(InvalidCastException), typeof(KeyNotFoundException), typeof(ArgumentNullException), typeof(DivideByZeroException),
        typeof(ArrayTypeMismatchException), typeof(InsufficientExecutionStackException), typeof(NotImplementedException),
        typeof(AccessViolationException), typeof(StackOverflowException),
    ];

    /// <summary>The exception types the library documents for bad model files and bad text.</summary>
    public static bool IsDocumentedInputError(Exception e) =>
        e is InvalidDataException or FormatException || (e is ArgumentException && e is not ArgumentNullException);

    /// <summary>Null when <paramref name="e"/> is a clean rejection, otherwise what is wrong with it.</summary>
    public static string? Problem(Exception e, Func<Exception, bool> allowed)
    {
        if (!allowed(e))
            return $"disallowed exception type {e.GetType().Name}";
        if (string.IsNullOrWhiteSpace(e.Message))
            return $"{e.GetType().Name} without a message";
        var crash = Chain(e).Skip(1).FirstOrDefault(inner => _crashTypes.Contains(inner.GetType()));
        return crash == null ? null : $"{e.GetType().Name} wraps a {crash.GetType().Name} (an unchecked path)";
    }

    /// <summary>The exception and its inner exceptions, depth first.</summary>
    public static IEnumerable<Exception> Chain(Exception e)
    {
        yield return e;
        var inner = e is AggregateException a ? a.InnerExceptions : e.InnerException is { } i ? [i] : (IEnumerable<Exception>)[];
        foreach (var child in inner.SelectMany(Chain))
            yield return child;
    }

    /// <summary>
    /// Writes an input that broke a property to the failures folder (<c>$VAE_FUZZ_FAILURES</c>, or a temp folder),
    /// named by its hash, so it can be added to the corpus; returns the path.
    /// </summary>
    public static string SaveFailure(string name, string extension, byte[] bytes, string? sidecar = null)
    {
        string folder = Environment.GetEnvironmentVariable("VAE_FUZZ_FAILURES") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "vae-fuzz-failures");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{name}-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]}{extension}");
        File.WriteAllBytes(path, bytes);
        if (sidecar != null)
            File.WriteAllText(Path.ChangeExtension(path, ".json"), sidecar);
        return path;
    }

    /// <summary>Describes an exception and its chain in one line, for failure messages.</summary>
    public static string Describe(Exception e) => string.Join(" <- ", Chain(e).Select(x => $"{x.GetType().Name}: {x.Message}"));
}
