namespace Vae.MLNet.Torch;

/// <summary>Reads a tensor's elements in row-major order (what <c>tensor.data&lt;T&gt;()</c> returns).</summary>
public sealed class TensorAccessor<T> where T : unmanaged
{
    private readonly torch.Tensor _tensor;
    private T[]? _cache;

    internal TensorAccessor(torch.Tensor tensor) => _tensor = tensor;

    /// <summary>The number of elements.</summary>
    public long Count => _tensor.numel();

    /// <summary>A copy of every element.</summary>
    public T[] ToArray()
    {
        var result = new T[Count];
        _tensor.CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies every element into destination, which must hold exactly <see cref="Count"/> elements.</summary>
    public void CopyTo(Span<T> destination) => _tensor.CopyTo(destination);

    /// <summary>The element at a flat row-major index (the values are read once, on first use).</summary>
    public T this[long index] => (_cache ??= ToArray())[index];
}
