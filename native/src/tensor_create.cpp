// Creating tensors: from managed data, factories, random numbers, and freeing handles.
#include "api.h"

#include <cstring>

namespace {

at::TensorOptions options(int dtype, int device_type, int device_index, bool requires_grad) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)))
      .requires_grad(requires_grad);
}

}  // namespace

VAE_EXPORT void vae_tensor_free(TensorHandle handle) { delete handle; }

// Copies numel elements of the given dtype from data into a new CPU tensor of the given shape.
VAE_EXPORT TensorHandle vae_tensor_from_data(const void* data, int64_t numel, int dtype, const int64_t* shape,
                                             int ndim, bool requires_grad) {
  return vae::guard_tensor([&] {
    auto result = at::empty(vae::dims(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    if (result.numel() != numel)
      throw std::invalid_argument("data holds " + std::to_string(numel) + " elements but shape " +
                                  c10::str(result.sizes()) + " needs " + std::to_string(result.numel()));
    if (numel > 0) {
      if (data == nullptr) throw std::invalid_argument("null data pointer");
      std::memcpy(result.data_ptr(), data, static_cast<size_t>(numel) * result.element_size());
    }
    result.set_requires_grad(requires_grad);
    return result;
  });
}

// Factory kinds: 0 empty, 1 zeros, 2 ones, 3 randn, 4 rand, 5 full(value).
VAE_EXPORT TensorHandle vae_tensor_factory(int kind, const int64_t* shape, int ndim, double value, int dtype,
                                           int device_type, int device_index, bool requires_grad) {
  return vae::guard_tensor([&] {
    auto size = vae::dims(shape, ndim);
    auto opts = options(dtype, device_type, device_index, false);
    at::Tensor result;
    switch (kind) {
      case 0: result = at::empty(size, opts); break;
      case 1: result = at::zeros(size, opts); break;
      case 2: result = at::ones(size, opts); break;
      case 3: result = at::randn(size, vae::generator_for(opts.device()), opts); break;
      case 4: result = at::rand(size, vae::generator_for(opts.device()), opts); break;
      case 5: result = at::full(size, value, opts); break;
      default: throw std::invalid_argument("unknown factory kind " + std::to_string(kind));
    }
    result.set_requires_grad(requires_grad);
    return result;
  });
}

VAE_EXPORT TensorHandle vae_tensor_arange(double start, double end, double step, int dtype, int device_type,
                                          int device_index, bool requires_grad) {
  return vae::guard_tensor(
      [&] { return at::arange(start, end, step, options(dtype, device_type, device_index, requires_grad)); });
}

VAE_EXPORT TensorHandle vae_tensor_eye(int64_t rows, int64_t columns, int dtype, int device_type, int device_index,
                                       bool requires_grad) {
  return vae::guard_tensor(
      [&] { return at::eye(rows, columns, options(dtype, device_type, device_index, requires_grad)); });
}

// Like-factories: 0 zeros_like, 1 ones_like, 2 randn_like, 3 rand_like, 4 empty_like.
VAE_EXPORT TensorHandle vae_tensor_like(TensorHandle source, int kind) {
  return vae::guard_tensor([&] {
    const auto& t = vae::deref(source);
    switch (kind) {
      case 0: return at::zeros_like(t);
      case 1: return at::ones_like(t);
      case 2: return at::randn(t.sizes(), vae::generator_for(t.device()), t.options());
      case 3: return at::rand(t.sizes(), vae::generator_for(t.device()), t.options());
      case 4: return at::empty_like(t);
      default: throw std::invalid_argument("unknown like-factory kind " + std::to_string(kind));
    }
  });
}

VAE_EXPORT int vae_manual_seed(int64_t seed) {
  return vae::guard_status([&] { at::manual_seed(static_cast<uint64_t>(seed)); });
}
