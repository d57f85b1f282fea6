using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Backend;

/// <summary>
/// The constants of the ELBO's tensor arithmetic as Scalars that live as long as the process. Why not the implicit
/// double → Scalar conversion (<c>tensor * 0.5</c>): TorchSharp 0.107 reads the temporary Scalar's native handle and
/// leaves the object unreferenced during the native call, so a garbage collection triggered by another thread can
/// run its finalizer and free it while libtorch reads it. Seen with eight threads predicting through one
/// model: "Expected false to be true ... toFloat at c10/core/Scalar.h" (a freed Scalar's tag) from
/// <c>Tensor + Tensor</c> (whose alpha of 1 is such a Scalar), and the same inside TorchSharp's <c>Adam.step</c>. A
/// static Scalar is never finalized; Plus and Minus add with a static alpha, and Squared multiplies (TorchSharp's
/// <c>square()</c> is <c>pow(2)</c> with such a Scalar: "Unknown scalar type" under the same test).
/// </summary>
internal static class Scalars
{
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar MinusOne = (-1.0).ToScalar();
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();
    /// <summary>log 2π, the Gaussian density's constant.</summary>
    public static readonly Scalar Log2Pi = Math.Log(2 * Math.PI).ToScalar();

    /// <summary>a + b, with a static alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + b for a Scalar b, with a static alpha.</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, One);

    /// <summary>a − b (exactly: multiplying by −1 rounds nothing), with a static alpha.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, MinusOne);

    /// <summary>t², as t · t (what libtorch's pow(t, 2) computes).</summary>
    public static Tensor Squared(this Tensor t) => t.mul(t);
}
