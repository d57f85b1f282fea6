using System.Reflection;

namespace Vae.MLNet.Data;

/// <summary>Copies a value of <typeparamref name="T"/> into <c>dst</c>, deep for vectors so that no arrays are shared.</summary>
internal delegate void InCopy<T>(in T src, ref T dst);

/// <summary>Deep copy of column values: a plain assignment, except for <see cref="VBuffer{T}"/>, whose arrays are copied.</summary>
internal static class ValueCopier<T>
{
    /// <summary>Copies <c>src</c> into <c>dst</c>, reusing the arrays of <c>dst</c>.</summary>
    public static readonly InCopy<T> Copy = Make();

    private static InCopy<T> Make()
    {
        var t = typeof(T);
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            var method = typeof(ValueCopier<T>).GetMethod(nameof(CopyVBuffer), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(t.GetGenericArguments()[0]);
            return method.CreateDelegate<InCopy<T>>();
        }
        return static (in T src, ref T dst) => dst = src;
    }

    private static void CopyVBuffer<TItem>(in VBuffer<TItem> src, ref VBuffer<TItem> dst) => src.CopyTo(ref dst);
}
