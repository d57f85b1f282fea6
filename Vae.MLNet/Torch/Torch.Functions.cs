using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    private static unsafe Tensor Join(IList<Tensor> tensors, long dim, bool stack)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException($"{(stack ? "stack" : "cat")} needs at least one tensor.", nameof(tensors));
        var handles = new IntPtr[tensors.Count];
        for (int i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        fixed (IntPtr* p = handles)
        {
            IntPtr result = stack ? NativeMethods.vae_stack(p, handles.Length, dim) : NativeMethods.vae_cat(p, handles.Length, dim);
            return Tensor.Wrap(result, () => $"{(stack ? "stack" : "cat")} along dimension {dim} of tensors of shapes " +
                                             string.Join(", ", tensors.Select(t => t.ShapeString())));
        }
    }

    /// <summary>Concatenates tensors along an existing dimension.</summary>
    public static Tensor cat(IList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: false);
    /// <summary>Stacks tensors of equal shape along a new dimension.</summary>
    public static Tensor stack(IList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: true);

    /// <summary>Elements of x where condition is true, else of y.</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y) =>
        Tensor.Wrap(NativeMethods.vae_where(condition.Handle, x.Handle, y.Handle),
            () => $"where with shapes {condition.ShapeString()}, {x.ShapeString()} and {y.ShapeString()}");

    /// <summary>Matrix product.</summary>
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    /// <summary>e^x.</summary>
    public static Tensor exp(Tensor x) => x.exp();
    /// <summary>Natural logarithm.</summary>
    public static Tensor log(Tensor x) => x.log();
    /// <summary>Square root.</summary>
    public static Tensor sqrt(Tensor x) => x.sqrt();
    /// <summary>Absolute value.</summary>
    public static Tensor abs(Tensor x) => x.abs();
    /// <summary>Power.</summary>
    public static Tensor pow(Tensor x, double exponent) => x.pow(exponent);
    /// <summary>Logistic function.</summary>
    public static Tensor sigmoid(Tensor x) => x.sigmoid();
    /// <summary>Rectifier.</summary>
    public static Tensor relu(Tensor x) => x.relu();
    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor tanh(Tensor x) => x.tanh();
    /// <summary>Sum of all elements.</summary>
    public static Tensor sum(Tensor x) => x.sum();
    /// <summary>Mean of all elements.</summary>
    public static Tensor mean(Tensor x) => x.mean();
    /// <summary>log Σ exp along a dimension.</summary>
    public static Tensor logsumexp(Tensor x, long dim, bool keepdim = false) => x.logsumexp(dim, keepdim);
    /// <summary>Limits every element to [min, max].</summary>
    public static Tensor clamp(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);
}
