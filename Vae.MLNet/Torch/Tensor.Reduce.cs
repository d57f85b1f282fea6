using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private Tensor ReduceAll(ReduceOp op) =>
            Wrap(NativeMethods.vae_reduce_all(Handle, (int)op), () => $"{op} of a tensor of shape {ShapeString()}");

        private unsafe Tensor ReduceDims(ReduceOp op, long[] dims, bool keepdim)
        {
            fixed (long* p = dims)
                return Wrap(NativeMethods.vae_reduce_dims(Handle, p, dims.Length, keepdim, (int)op),
                    () => $"{op} over dimensions {ShapeString(dims)} of a tensor of shape {ShapeString()}");
        }

        private (Tensor values, Tensor indexes) ReduceIndexed(ReduceOp op, long dim, bool keepdim)
        {
            if (NativeMethods.vae_reduce_dim_indexed(Handle, dim, keepdim, (int)op, out IntPtr values, out IntPtr indices) != 0)
                throw NativeMethods.Failure($"{op} over dimension {dim} of a tensor of shape {ShapeString()}");
            return (values == IntPtr.Zero ? null! : new Tensor(values), new Tensor(indices));
        }

        /// <summary>The sum of all elements.</summary>
        public Tensor sum() => ReduceAll(ReduceOp.sum);
        /// <summary>The sum along a dimension.</summary>
        public Tensor sum(long dim, bool keepdim = false) => ReduceDims(ReduceOp.sum, [dim], keepdim);
        /// <summary>The sum along several dimensions.</summary>
        public Tensor sum(long[] dims, bool keepdim = false) => ReduceDims(ReduceOp.sum, dims, keepdim);
        /// <summary>The mean of all elements.</summary>
        public Tensor mean() => ReduceAll(ReduceOp.mean);
        /// <summary>The mean along a dimension.</summary>
        public Tensor mean(long dim, bool keepdim = false) => ReduceDims(ReduceOp.mean, [dim], keepdim);
        /// <summary>The mean along several dimensions.</summary>
        public Tensor mean(long[] dims, bool keepdim = false) => ReduceDims(ReduceOp.mean, dims, keepdim);
        /// <summary>The largest element.</summary>
        public Tensor max() => ReduceAll(ReduceOp.max);
        /// <summary>The largest elements along a dimension and where they are.</summary>
        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false) => ReduceIndexed(ReduceOp.max, dim, keepdim);
        /// <summary>The smallest element.</summary>
        public Tensor min() => ReduceAll(ReduceOp.min);
        /// <summary>The smallest elements along a dimension and where they are.</summary>
        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false) => ReduceIndexed(ReduceOp.min, dim, keepdim);
        /// <summary>The product of all elements.</summary>
        public Tensor prod() => ReduceAll(ReduceOp.prod);
        /// <summary>The unbiased standard deviation of all elements.</summary>
        public Tensor std() => ReduceAll(ReduceOp.std);
        /// <summary>The unbiased standard deviation along a dimension.</summary>
        public Tensor std(long dim, bool keepdim = false) => ReduceDims(ReduceOp.std, [dim], keepdim);
        /// <summary>The unbiased variance of all elements.</summary>
        public Tensor var() => ReduceAll(ReduceOp.var);
        /// <summary>The unbiased variance along a dimension.</summary>
        public Tensor var(long dim, bool keepdim = false) => ReduceDims(ReduceOp.var, [dim], keepdim);
        /// <summary>The Euclidean norm of all elements.</summary>
        public Tensor norm() => ReduceAll(ReduceOp.norm);
        /// <summary>The Euclidean norm along a dimension.</summary>
        public Tensor norm(long dim, bool keepdim = false) => ReduceDims(ReduceOp.norm, [dim], keepdim);
        /// <summary>log Σ exp(x) along a dimension, computed stably.</summary>
        public Tensor logsumexp(long dim, bool keepdim = false) => ReduceDims(ReduceOp.logsumexp, [dim], keepdim);
        /// <summary>The flat index of the largest element.</summary>
        public Tensor argmax() => ReduceAll(ReduceOp.argmax);
        /// <summary>The index of the largest element along a dimension.</summary>
        public Tensor argmax(long dim, bool keepdim = false) => ReduceIndexed(ReduceOp.argmax, dim, keepdim).indexes;
        /// <summary>The flat index of the smallest element.</summary>
        public Tensor argmin() => ReduceAll(ReduceOp.argmin);
        /// <summary>The index of the smallest element along a dimension.</summary>
        public Tensor argmin(long dim, bool keepdim = false) => ReduceIndexed(ReduceOp.argmin, dim, keepdim).indexes;
        /// <summary>Whether every element is true (non-zero).</summary>
        public Tensor all() => ReduceAll(ReduceOp.all);
        /// <summary>Whether any element is true (non-zero).</summary>
        public Tensor any() => ReduceAll(ReduceOp.any);
    }
}
