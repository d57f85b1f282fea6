// Views, reshapes, joins and selections.
#include "api.h"

#include <vector>

namespace {

std::vector<at::Tensor> gather_list(const TensorHandle* handles, int count) {
  if (count <= 0) throw std::invalid_argument("expected a non-empty list of tensors");
  if (handles == nullptr) throw std::invalid_argument("null tensor list");
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; i++) list.push_back(vae::deref(handles[i]));
  return list;
}

}  // namespace

// Shape-taking views: 0 view, 1 reshape, 2 permute, 3 expand, 4 repeat.
VAE_EXPORT TensorHandle vae_reshape(TensorHandle t, const int64_t* shape, int ndim, int op) {
  return vae::guard_tensor([&] {
    const auto& x = vae::deref(t);
    auto s = vae::dims(shape, ndim);
    switch (op) {
      case 0: return x.view(s);
      case 1: return x.reshape(s);
      case 2: return x.permute(s);
      case 3: return x.expand(s);
      case 4: return x.repeat(s);
      default: throw std::invalid_argument("unknown reshape operation " + std::to_string(op));
    }
  });
}

VAE_EXPORT TensorHandle vae_flatten(TensorHandle t, int64_t start_dim, int64_t end_dim) {
  return vae::guard_tensor([&] { return vae::deref(t).flatten(start_dim, end_dim); });
}

VAE_EXPORT TensorHandle vae_unflatten(TensorHandle t, int64_t dim, const int64_t* sizes, int count) {
  return vae::guard_tensor([&] { return vae::deref(t).unflatten(dim, vae::dims(sizes, count)); });
}

VAE_EXPORT TensorHandle vae_unsqueeze(TensorHandle t, int64_t dim) {
  return vae::guard_tensor([&] { return vae::deref(t).unsqueeze(dim); });
}

// Removes the given size-1 dimension, or every size-1 dimension when all is true.
VAE_EXPORT TensorHandle vae_squeeze(TensorHandle t, int64_t dim, bool all) {
  return vae::guard_tensor([&] { return all ? vae::deref(t).squeeze() : vae::deref(t).squeeze(dim); });
}

VAE_EXPORT TensorHandle vae_transpose(TensorHandle t, int64_t dim0, int64_t dim1) {
  return vae::guard_tensor([&] { return vae::deref(t).transpose(dim0, dim1); });
}

VAE_EXPORT TensorHandle vae_cat(const TensorHandle* tensors, int count, int64_t dim) {
  return vae::guard_tensor([&] { return at::cat(gather_list(tensors, count), dim); });
}

VAE_EXPORT TensorHandle vae_stack(const TensorHandle* tensors, int count, int64_t dim) {
  return vae::guard_tensor([&] { return at::stack(gather_list(tensors, count), dim); });
}

VAE_EXPORT TensorHandle vae_slice(TensorHandle t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  return vae::guard_tensor([&] { return vae::deref(t).slice(dim, start, end, step); });
}

VAE_EXPORT TensorHandle vae_narrow(TensorHandle t, int64_t dim, int64_t start, int64_t length) {
  return vae::guard_tensor([&] { return vae::deref(t).narrow(dim, start, length); });
}

VAE_EXPORT TensorHandle vae_select(TensorHandle t, int64_t dim, int64_t index) {
  return vae::guard_tensor([&] { return vae::deref(t).select(dim, index); });
}

VAE_EXPORT TensorHandle vae_index_select(TensorHandle t, int64_t dim, TensorHandle index) {
  return vae::guard_tensor([&] { return vae::deref(t).index_select(dim, vae::deref(index)); });
}

VAE_EXPORT TensorHandle vae_gather(TensorHandle t, int64_t dim, TensorHandle index) {
  return vae::guard_tensor([&] { return vae::deref(t).gather(dim, vae::deref(index)); });
}
