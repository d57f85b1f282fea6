using System.Reflection;
using System.Security.Cryptography;

namespace Vae.MLNet.Tests.Support;

/// <summary>
/// Judges how the library reacted to hostile input: an allowed exception type, a message, and no crash type (null
/// dereference, index out of range, overflow, out of memory, ...) anywhere in the exception's chain, since a loader
/// that wraps a <see cref="NullReferenceException"/> in an <see cref="InvalidDataException"/> still missed a check.
/// </summary>
/// <remarks>
/// ML.NET calls the VAE's loader by reflection, so what the loader throws reaches <c>Model.Load</c>'s caller as the
/// InnerException of a <see cref="TargetInvocationException"/>; <see cref="Unwrap"/> looks through that one layer.
/// </remarks>
internal static class Outcomes
{
    private static readonly Type[] _crashTypes =
    [
        typeof(NullReferenceException), typeof(IndexOutOfRangeException), typeof(OverflowException), typeof(OutOfMemoryException),
        typeof(InvalidCastException), typeof(KeyNotFoundException), typeof(ArgumentNullException), typeof(DivideByZeroException),
        typeof(ArrayTypeMismatchException), typeof(InsufficientExecutionStackException), typeof(NotImplementedException),
        typeof(AccessViolationException), typeof(StackOverflowException), typeof(EndOfStreamException),
    ];

    /// <summary>
    /// The loader's own exception, below ML.NET's wrappers: a TargetInvocationException per loader called by reflection
    /// (a chain's loader calls the VAE's), and the InvalidOperationException "Error during class instantiation" ML.NET
    /// puts around some of them. Otherwise <paramref name="e"/>.
    /// </summary>
    public static Exception Unwrap(Exception e)
    {
        while (e.InnerException is { } inner
               && e is TargetInvocationException or InvalidOperationException { Message: "Error during class instantiation" })
            e = inner;
        return e;
    }

    /// <summary>
    /// The exceptions documented for a bad model file (docs/model-format.md). The VAE's loader throws
    /// <see cref="InvalidDataException"/> naming the model folder and entry (ML.NET hands it over inside a
    /// TargetInvocationException). ML.NET's own reading throws <see cref="FormatException"/> (its headers and
    /// entries), System.IO.Compression's <see cref="InvalidDataException"/> (a damaged zip),
    /// <see cref="InvalidOperationException"/> (the version checks of its own entries, such as TrainingInfo/Version.txt),
    /// <see cref="EndOfStreamException"/> (its own entries cut short, before any loader runs),
    /// and, while it resolves the loader assembly a header names, <see cref="FileNotFoundException"/>,
    /// <see cref="FileLoadException"/> or an <see cref="ArgumentException"/> (a garbled assembly name or culture).
    /// </summary>
    public static bool IsDocumentedLoadError(Exception e) => Unwrap(e) switch
    {
        InvalidDataException d => d.Message.StartsWith("the VAE in the model (", StringComparison.Ordinal) || d.Message.StartsWith("the autoencoder in the model (", StringComparison.Ordinal) || d.Source == "System.IO.Compression",
        FormatException => true,
        FileNotFoundException or FileLoadException => true,
        ArgumentException a => a is not ArgumentNullException && !ThrownByTheLibrary(a),
        InvalidOperationException i => !ThrownByTheLibrary(i),
        // ML.NET reading its own entries (the Schema, say) before any loader runs; our loader turns its reads' failures into InvalidDataException.
        EndOfStreamException => ReferenceEquals(e, Unwrap(e)),
        _ => false,
    };

    /// <summary>Whether Vae.MLNet itself threw <paramref name="e"/> (whose loader must throw only InvalidDataException).</summary>
    private static bool ThrownByTheLibrary(Exception e) => e.TargetSite?.Module.Assembly == typeof(VaeTransformer).Assembly;

    /// <summary>
    /// What Transform of a loaded model may throw for data it does not fit: ML.NET's schema-mismatch family, or the
    /// refusal of a row whose outputs would not be finite (a damaged normalizer upstream can scale the input far off
    /// the training scale: NonFiniteOutputs).
    /// </summary>
    public static bool IsDocumentedTransformError(Exception e) => e is ArgumentException and not ArgumentNullException
        || (Unwrap(e) is InvalidOperationException i && i.Message.Contains("which must be finite and small enough to square", StringComparison.Ordinal));

    /// <summary>Null when <paramref name="e"/> is a clean rejection, otherwise what is wrong with it.</summary>
    public static string? Problem(Exception e, Func<Exception, bool> allowed)
    {
        if (!allowed(e))
            return $"disallowed exception {Unwrap(e).GetType().Name}{(e != Unwrap(e) ? $" (wrapped in {e.GetType().Name})" : "")}";
        var own = Unwrap(e);
        if (string.IsNullOrWhiteSpace(own.Message))
            return $"{own.GetType().Name} without a message";
        var crash = Chain(own).Skip(1).FirstOrDefault(inner => _crashTypes.Contains(inner.GetType()));
        return crash == null ? null : $"{own.GetType().Name} wraps a {crash.GetType().Name} (an unchecked path)";
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
    public static string SaveFailure(string name, string extension, byte[] bytes)
    {
        string folder = Environment.GetEnvironmentVariable("VAE_FUZZ_FAILURES") is { Length: > 0 } f ? f : Path.Combine(Path.GetTempPath(), "vae-fuzz-failures");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{name}-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]}{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Describes an exception and its chain in one line, for failure messages.</summary>
    public static string Describe(Exception e) => string.Join(" <- ", Chain(e).Select(x => $"{x.GetType().Name}: {x.Message}"));
}
