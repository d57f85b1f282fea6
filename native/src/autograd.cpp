// Backpropagation, gradients and the thread-local grad mode.
#include "api.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/cuda.h>

#include <dlfcn.h>

#include <vector>

// gradient may be null for a scalar output.
VAE_EXPORT int vae_backward(TensorHandle t, TensorHandle gradient, bool retain_graph) {
  return vae::guard_status([&] {
    const auto& x = vae::deref(t);
    at::Tensor g = gradient == nullptr ? at::Tensor() : vae::deref(gradient);
    x.backward(g, retain_graph);
  });
}

// Sets *grad to the accumulated gradient, or to nullptr when there is none yet.
VAE_EXPORT int vae_tensor_grad(TensorHandle t, TensorHandle* grad) {
  return vae::guard_status([&] {
    const auto& g = vae::deref(t).grad();
    *grad = g.defined() ? vae::wrap(g) : nullptr;
  });
}

// Drops the accumulated gradient (PyTorch's zero_grad with set_to_none).
VAE_EXPORT int vae_tensor_clear_grad(TensorHandle t) {
  return vae::guard_status([&] { const_cast<at::Tensor&>(vae::deref(t)).mutable_grad() = at::Tensor(); });
}

VAE_EXPORT bool vae_is_grad_enabled() { return at::GradMode::is_enabled(); }

VAE_EXPORT void vae_set_grad_enabled(bool enabled) { at::GradMode::set_enabled(enabled); }

VAE_EXPORT int vae_set_num_threads(int count) {
  return vae::guard_status([&] {
    if (count < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(count));
    at::set_num_threads(count);
  });
}

VAE_EXPORT int vae_get_num_threads() { return at::get_num_threads(); }

VAE_EXPORT bool vae_cuda_is_available() { return torch::cuda::is_available(); }

VAE_EXPORT int vae_cuda_device_count() { return static_cast<int>(torch::cuda::device_count()); }

// Backpropagates from a scalar into the listed leaf tensors only: their .grad accumulates and no other leaf's
// does (PyTorch's backward(inputs=...)), so a frozen network can be differentiated concurrently.
VAE_EXPORT int vae_backward_inputs(TensorHandle t, const TensorHandle* inputs, int count) {
  return vae::guard_status([&] {
    if (count <= 0 || inputs == nullptr) throw std::invalid_argument("backward needs at least one input");
    std::vector<at::Tensor> list;
    for (int i = 0; i < count; i++) list.push_back(vae::deref(inputs[i]));
    vae::deref(t).backward({}, c10::nullopt, false, at::TensorList(list));
  });
}

// Sets the thread count of the BLAS libtorch calls into, when that BLAS can be told (OpenBLAS, BLIS); returns the
// previous count, or -1 when the BLAS has no such setting. The VAE trains on one BLAS thread per worker.
VAE_EXPORT int vae_set_blas_threads(int count) {
  using SetThreads = void (*)(int);
  using GetThreads = int (*)();
  auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  if (set == nullptr || get == nullptr) return -1;
  int previous = get();
  set(count);
  return previous;
}
