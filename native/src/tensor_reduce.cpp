// Reductions over all elements or along dimensions; codes mirror the managed ReduceOp enum.
#include "api.h"

namespace {

at::Tensor reduce_all(const at::Tensor& t, int op) {
  switch (op) {
    case 0: return t.sum();
    case 1: return t.mean();
    case 2: return t.max();
    case 3: return t.min();
    case 4: return t.prod();
    case 5: return t.std();
    case 6: return t.var();
    case 7: return t.argmax();
    case 8: return t.argmin();
    case 9: return t.all();
    case 10: return t.any();
    case 11: return t.norm();
    default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
  }
}

}  // namespace

VAE_EXPORT TensorHandle vae_reduce_all(TensorHandle t, int op) {
  return vae::guard_tensor([&] { return reduce_all(vae::deref(t), op); });
}

// Reductions along the listed dimensions: 0 sum, 1 mean, 5 std, 6 var, 12 logsumexp, 11 norm (L2).
VAE_EXPORT TensorHandle vae_reduce_dims(TensorHandle t, const int64_t* dims, int ndims, bool keepdim, int op) {
  return vae::guard_tensor([&] {
    const auto& x = vae::deref(t);
    auto d = vae::dims(dims, ndims);
    switch (op) {
      case 0: return x.sum(d, keepdim);
      case 1: return x.mean(d, keepdim);
      case 5: return x.std(d, /*unbiased=*/true, keepdim);
      case 6: return x.var(d, /*unbiased=*/true, keepdim);
      case 11: return x.norm(2, d, keepdim);
      case 12: return x.logsumexp(d, keepdim);
      default: throw std::invalid_argument("unknown dimension reduction " + std::to_string(op));
    }
  });
}

// Reductions along one dimension that also give indices: 2 max, 3 min; 7 argmax, 8 argmin give indices only.
VAE_EXPORT int vae_reduce_dim_indexed(TensorHandle t, int64_t dim, bool keepdim, int op, TensorHandle* values,
                                      TensorHandle* indices) {
  return vae::guard_status([&] {
    const auto& x = vae::deref(t);
    *values = nullptr;
    *indices = nullptr;
    switch (op) {
      case 2: {
        auto result = x.max(dim, keepdim);
        *values = vae::wrap(std::get<0>(result));
        *indices = vae::wrap(std::get<1>(result));
        break;
      }
      case 3: {
        auto result = x.min(dim, keepdim);
        *values = vae::wrap(std::get<0>(result));
        *indices = vae::wrap(std::get<1>(result));
        break;
      }
      case 7: *indices = vae::wrap(x.argmax(dim, keepdim)); break;
      case 8: *indices = vae::wrap(x.argmin(dim, keepdim)); break;
      default: throw std::invalid_argument("unknown indexed reduction " + std::to_string(op));
    }
  });
}

VAE_EXPORT TensorHandle vae_softmax(TensorHandle t, int64_t dim, bool log) {
  return vae::guard_tensor([&] { return log ? vae::deref(t).log_softmax(dim) : vae::deref(t).softmax(dim); });
}
