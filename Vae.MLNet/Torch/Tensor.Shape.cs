using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private unsafe Tensor Reshape(ReshapeOp op, long[] sizes)
        {
            fixed (long* p = sizes)
                return Wrap(NativeMethods.vae_reshape(Handle, p, sizes.Length, (int)op),
                    () => $"{op} of a tensor of shape {ShapeString()} to {ShapeString(sizes)}");
        }

        /// <summary>A view with another shape over the same contiguous storage; one size may be -1.</summary>
        public Tensor view(params long[] shape) => Reshape(ReshapeOp.view, shape);
        /// <summary>The same values with another shape (a view when possible, else a copy); one size may be -1.</summary>
        public Tensor reshape(params long[] shape) => Reshape(ReshapeOp.reshape, shape);
        /// <summary>Reorders the dimensions.</summary>
        public Tensor permute(params long[] dims) => Reshape(ReshapeOp.permute, dims);
        /// <summary>Broadcasts size-1 dimensions to the given sizes without copying (-1 keeps a size).</summary>
        public Tensor expand(params long[] sizes) => Reshape(ReshapeOp.expand, sizes);
        /// <summary>Tiles the tensor the given number of times along each dimension.</summary>
        public Tensor repeat(params long[] repeats) => Reshape(ReshapeOp.repeat, repeats);

        /// <summary>Merges dimensions start_dim..end_dim into one.</summary>
        public Tensor flatten(long start_dim = 0, long end_dim = -1) =>
            Wrap(NativeMethods.vae_flatten(Handle, start_dim, end_dim), () => $"flatten({start_dim}, {end_dim}) of a tensor of shape {ShapeString()}");

        /// <summary>Splits one dimension into the given sizes.</summary>
        public unsafe Tensor unflatten(long dim, params long[] sizes)
        {
            fixed (long* p = sizes)
                return Wrap(NativeMethods.vae_unflatten(Handle, dim, p, sizes.Length),
                    () => $"unflatten of dimension {dim} of a tensor of shape {ShapeString()} into {ShapeString(sizes)}");
        }

        /// <summary>Inserts a dimension of size 1.</summary>
        public Tensor unsqueeze(long dim) =>
            Wrap(NativeMethods.vae_unsqueeze(Handle, dim), () => $"unsqueeze({dim}) of a tensor of shape {ShapeString()}");
        /// <summary>Removes every dimension of size 1.</summary>
        public Tensor squeeze() => Wrap(NativeMethods.vae_squeeze(Handle, 0, true), () => $"squeeze of a tensor of shape {ShapeString()}");
        /// <summary>Removes the given dimension if its size is 1.</summary>
        public Tensor squeeze(long dim) =>
            Wrap(NativeMethods.vae_squeeze(Handle, dim, false), () => $"squeeze({dim}) of a tensor of shape {ShapeString()}");
        /// <summary>Swaps two dimensions.</summary>
        public Tensor transpose(long dim0, long dim1) =>
            Wrap(NativeMethods.vae_transpose(Handle, dim0, dim1), () => $"transpose({dim0}, {dim1}) of a tensor of shape {ShapeString()}");

        /// <summary>Elements start, start+step, ... before finish along a dimension (a view).</summary>
        public Tensor slice(long dim, long start, long finish, long step = 1) =>
            Wrap(NativeMethods.vae_slice(Handle, dim, start, finish, step),
                () => $"slice(dim {dim}, {start}:{finish}:{step}) of a tensor of shape {ShapeString()}");
        /// <summary>length elements from start along a dimension (a view).</summary>
        public Tensor narrow(long dim, long start, long length) =>
            Wrap(NativeMethods.vae_narrow(Handle, dim, start, length),
                () => $"narrow(dim {dim}, start {start}, length {length}) of a tensor of shape {ShapeString()}");
        /// <summary>The slice at one index along a dimension, which disappears (a view).</summary>
        public Tensor select(long dim, long index) =>
            Wrap(NativeMethods.vae_select(Handle, dim, index), () => $"select(dim {dim}, index {index}) of a tensor of shape {ShapeString()}");
        /// <summary>The entries at the given Int64 indices along a dimension (a copy).</summary>
        public Tensor index_select(long dim, Tensor index) =>
            Wrap(NativeMethods.vae_index_select(Handle, dim, index.Handle),
                () => $"index_select(dim {dim}) of a tensor of shape {ShapeString()} with indices of shape {index.ShapeString()}");
        /// <summary>Picks values along a dimension by an Int64 index tensor of the same rank.</summary>
        public Tensor gather(long dim, Tensor index) =>
            Wrap(NativeMethods.vae_gather(Handle, dim, index.Handle),
                () => $"gather(dim {dim}) of a tensor of shape {ShapeString()} with indices of shape {index.ShapeString()}");

        /// <summary>The sub-tensor at an index of the first dimension.</summary>
        public Tensor this[long index] => select(0, index);
    }
}
