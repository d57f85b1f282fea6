using System.Runtime.InteropServices;

namespace Vae.MLNet.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial void vae_tensor_free(IntPtr handle);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_tensor_from_data(void* data, long numel, int dtype, long* shape, int ndim,
        [MarshalAs(UnmanagedType.U1)] bool requiresGrad);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_tensor_factory(int kind, long* shape, int ndim, double value, int dtype,
        int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_tensor_arange(double start, double end, double step, int dtype, int deviceType,
        int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_tensor_eye(long rows, long columns, int dtype, int deviceType, int deviceIndex,
        [MarshalAs(UnmanagedType.U1)] bool requiresGrad);

    [LibraryImport(Lib)] internal static partial IntPtr vae_tensor_like(IntPtr source, int kind);
    [LibraryImport(Lib)] internal static partial int vae_manual_seed(long seed);

    [LibraryImport(Lib)] internal static partial int vae_tensor_ndim(IntPtr handle, out long ndim);
    [LibraryImport(Lib)] internal static unsafe partial int vae_tensor_shape(IntPtr handle, long* shape, int capacity);
    [LibraryImport(Lib)] internal static partial int vae_tensor_dtype(IntPtr handle, out int dtype);
    [LibraryImport(Lib)] internal static partial int vae_tensor_device(IntPtr handle, out int deviceType, out int deviceIndex);

    [LibraryImport(Lib)]
    internal static partial int vae_tensor_requires_grad(IntPtr handle, [MarshalAs(UnmanagedType.U1)] out bool value);

    [LibraryImport(Lib)]
    internal static partial int vae_tensor_set_requires_grad(IntPtr handle, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Lib)] internal static partial int vae_tensor_item(IntPtr handle, out double asDouble, out long asLong);
    [LibraryImport(Lib)] internal static unsafe partial int vae_tensor_copy_to(IntPtr handle, void* destination, long numel, int dtype);
    [LibraryImport(Lib)] internal static unsafe partial int vae_tensor_data_ptr(IntPtr handle, out void* pointer);
    [LibraryImport(Lib)] internal static partial int vae_tensor_version(IntPtr handle, out long version);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_tensor_to(IntPtr handle, int dtype, int deviceType, int deviceIndex,
        [MarshalAs(UnmanagedType.U1)] bool copy);

    [LibraryImport(Lib)]
    internal static partial int vae_tensor_is_same(IntPtr a, IntPtr b, [MarshalAs(UnmanagedType.U1)] out bool same);

    [LibraryImport(Lib)] internal static partial int vae_tensor_set_data(IntPtr handle, IntPtr data);

    [LibraryImport(Lib)] internal static partial IntPtr vae_unary(IntPtr t, int op);
    [LibraryImport(Lib)] internal static partial IntPtr vae_binary(IntPtr a, IntPtr b, int op);
    [LibraryImport(Lib)] internal static partial IntPtr vae_binary_scalar(IntPtr a, double s, int op);
    [LibraryImport(Lib)] internal static partial IntPtr vae_add_scaled(IntPtr a, IntPtr b, double alpha);
    [LibraryImport(Lib)] internal static partial int vae_binary_inplace(IntPtr a, IntPtr b, int op);
    [LibraryImport(Lib)] internal static partial int vae_scalar_inplace(IntPtr a, double s, double s2, int op);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_clamp(IntPtr t, [MarshalAs(UnmanagedType.U1)] bool hasMin, double min,
        [MarshalAs(UnmanagedType.U1)] bool hasMax, double max);

    [LibraryImport(Lib)] internal static partial IntPtr vae_where(IntPtr condition, IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr vae_leaky_relu(IntPtr t, double negativeSlope);
    [LibraryImport(Lib)] internal static partial IntPtr vae_softplus(IntPtr t, double beta, double threshold);

    [LibraryImport(Lib)] internal static partial IntPtr vae_reduce_all(IntPtr t, int op);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_reduce_dims(IntPtr t, long* dims, int ndims,
        [MarshalAs(UnmanagedType.U1)] bool keepdim, int op);

    [LibraryImport(Lib)]
    internal static partial int vae_reduce_dim_indexed(IntPtr t, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim,
        int op, out IntPtr values, out IntPtr indices);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_softmax(IntPtr t, long dim, [MarshalAs(UnmanagedType.U1)] bool log);

    [LibraryImport(Lib)] internal static unsafe partial IntPtr vae_reshape(IntPtr t, long* shape, int ndim, int op);
    [LibraryImport(Lib)] internal static partial IntPtr vae_flatten(IntPtr t, long startDim, long endDim);
    [LibraryImport(Lib)] internal static unsafe partial IntPtr vae_unflatten(IntPtr t, long dim, long* sizes, int count);
    [LibraryImport(Lib)] internal static partial IntPtr vae_unsqueeze(IntPtr t, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr vae_squeeze(IntPtr t, long dim, [MarshalAs(UnmanagedType.U1)] bool all);
    [LibraryImport(Lib)] internal static partial IntPtr vae_transpose(IntPtr t, long dim0, long dim1);
    [LibraryImport(Lib)] internal static unsafe partial IntPtr vae_cat(IntPtr* tensors, int count, long dim);
    [LibraryImport(Lib)] internal static unsafe partial IntPtr vae_stack(IntPtr* tensors, int count, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr vae_slice(IntPtr t, long dim, long start, long end, long step);
    [LibraryImport(Lib)] internal static partial IntPtr vae_narrow(IntPtr t, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial IntPtr vae_select(IntPtr t, long dim, long index);
    [LibraryImport(Lib)] internal static partial IntPtr vae_index_select(IntPtr t, long dim, IntPtr index);
    [LibraryImport(Lib)] internal static partial IntPtr vae_gather(IntPtr t, long dim, IntPtr index);

    [LibraryImport(Lib)] internal static partial int vae_backward(IntPtr t, IntPtr gradient, [MarshalAs(UnmanagedType.U1)] bool retainGraph);
    [LibraryImport(Lib)] internal static unsafe partial int vae_backward_inputs(IntPtr t, IntPtr* inputs, int count);
    [LibraryImport(Lib)] internal static partial int vae_tensor_grad(IntPtr t, out IntPtr grad);
    [LibraryImport(Lib)] internal static partial int vae_tensor_clear_grad(IntPtr t);

    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static partial bool vae_is_grad_enabled();
    [LibraryImport(Lib)] internal static partial void vae_set_grad_enabled([MarshalAs(UnmanagedType.U1)] bool enabled);
    [LibraryImport(Lib)] internal static partial int vae_set_num_threads(int count);
    [LibraryImport(Lib)] internal static partial int vae_get_num_threads();
    [LibraryImport(Lib)] internal static partial int vae_set_blas_threads(int count);
    [LibraryImport(Lib)] internal static partial long vae_cpu_empty_cache();
    [LibraryImport(Lib)] internal static partial long vae_cpu_cached_bytes();
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static partial bool vae_cuda_is_available();
    [LibraryImport(Lib)] internal static partial int vae_cuda_device_count();
}
