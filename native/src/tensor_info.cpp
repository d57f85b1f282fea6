// Reading a tensor's metadata and data, and moving it between dtypes and devices.
#include "api.h"

#include <cstring>

VAE_EXPORT int vae_tensor_ndim(TensorHandle handle, int64_t* ndim) {
  return vae::guard_status([&] { *ndim = vae::deref(handle).dim(); });
}

// Writes the sizes into shape, which has room for capacity entries.
VAE_EXPORT int vae_tensor_shape(TensorHandle handle, int64_t* shape, int capacity) {
  return vae::guard_status([&] {
    auto sizes = vae::deref(handle).sizes();
    if (static_cast<int64_t>(sizes.size()) > capacity) throw std::invalid_argument("shape buffer too small");
    std::copy(sizes.begin(), sizes.end(), shape);
  });
}

VAE_EXPORT int vae_tensor_dtype(TensorHandle handle, int* dtype) {
  return vae::guard_status([&] { *dtype = static_cast<int>(vae::deref(handle).scalar_type()); });
}

VAE_EXPORT int vae_tensor_device(TensorHandle handle, int* device_type, int* device_index) {
  return vae::guard_status([&] {
    auto device = vae::deref(handle).device();
    *device_type = static_cast<int>(device.type());
    *device_index = device.index();
  });
}

VAE_EXPORT int vae_tensor_requires_grad(TensorHandle handle, bool* value) {
  return vae::guard_status([&] { *value = vae::deref(handle).requires_grad(); });
}

VAE_EXPORT int vae_tensor_set_requires_grad(TensorHandle handle, bool value) {
  return vae::guard_status([&] { vae::deref(handle).set_requires_grad(value); });
}

// The single value of a one-element tensor, as a double (exact for every float dtype) or as an int64.
VAE_EXPORT int vae_tensor_item(TensorHandle handle, double* as_double, int64_t* as_long) {
  return vae::guard_status([&] {
    auto scalar = vae::deref(handle).item();
    if (scalar.isIntegral(true)) {
      *as_long = scalar.toLong();
      *as_double = static_cast<double>(*as_long);
    } else {
      *as_double = scalar.toDouble();
      *as_long = static_cast<int64_t>(*as_double);
    }
  });
}

// Copies all elements, in row-major order, into destination; the dtype must match exactly.
VAE_EXPORT int vae_tensor_copy_to(TensorHandle handle, void* destination, int64_t numel, int dtype) {
  return vae::guard_status([&] {
    const auto& t = vae::deref(handle);
    if (static_cast<int>(t.scalar_type()) != dtype)
      throw std::invalid_argument(std::string("tensor has dtype ") + c10::toString(t.scalar_type()) +
                                  " but the destination has dtype " +
                                  c10::toString(static_cast<at::ScalarType>(dtype)));
    if (t.numel() != numel)
      throw std::invalid_argument("tensor has " + std::to_string(t.numel()) + " elements but the destination has " +
                                  std::to_string(numel));
    if (numel == 0) return;
    auto source = t.device().is_cpu() ? t.detach().contiguous() : t.detach().to(at::kCPU).contiguous();
    std::memcpy(destination, source.data_ptr(), static_cast<size_t>(numel) * source.element_size());
  });
}

// The address of the first element of a contiguous CPU tensor; the managed side reads it without a copy.
VAE_EXPORT int vae_tensor_data_ptr(TensorHandle handle, void** pointer) {
  return vae::guard_status([&] {
    const auto& t = vae::deref(handle);
    if (!t.device().is_cpu()) throw std::invalid_argument("data_ptr needs a CPU tensor, not " + t.device().str());
    if (!t.is_contiguous()) throw std::invalid_argument("data_ptr needs a contiguous tensor");
    *pointer = t.data_ptr();
  });
}

VAE_EXPORT TensorHandle vae_tensor_to(TensorHandle handle, int dtype, int device_type, int device_index,
                                      bool copy) {
  return vae::guard_tensor([&] {
    const auto& t = vae::deref(handle);
    auto target_dtype = dtype < 0 ? t.scalar_type() : static_cast<at::ScalarType>(dtype);
    auto target_device = device_type < 0 ? t.device()
                                         : at::Device(static_cast<at::DeviceType>(device_type),
                                                      static_cast<c10::DeviceIndex>(device_index));
    return t.to(target_device, target_dtype, /*non_blocking=*/false, copy);
  });
}

VAE_EXPORT int vae_tensor_is_same(TensorHandle a, TensorHandle b, bool* same) {
  return vae::guard_status([&] { *same = vae::deref(a).is_same(vae::deref(b)); });
}

// Replaces the data of a tensor while keeping its identity (PyTorch's `param.data = ...`), as Module.to does.
VAE_EXPORT int vae_tensor_set_data(TensorHandle handle, TensorHandle data) {
  return vae::guard_status([&] { const_cast<at::Tensor&>(vae::deref(handle)).set_data(vae::deref(data)); });
}

// libtorch's version counter: every in-place change of the tensor's data raises it.
VAE_EXPORT int vae_tensor_version(TensorHandle handle, int64_t* version) {
  return vae::guard_status([&] { *version = static_cast<int64_t>(vae::deref(handle)._version()); });
}
