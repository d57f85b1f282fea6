// Element-wise operations, selected by an operation code; the codes mirror the managed UnaryOp/BinaryOp enums.
#include "api.h"

namespace {

at::Tensor unary(const at::Tensor& t, int op) {
  switch (op) {
    case 0: return t.neg();
    case 1: return t.exp();
    case 2: return t.log();
    case 3: return t.sqrt();
    case 4: return t.abs();
    case 5: return t.sigmoid();
    case 6: return t.relu();
    case 7: return t.tanh();
    case 8: return at::softplus(t);
    case 9: return t.square();
    case 10: return t.log1p();
    case 11: return t.expm1();
    case 12: return t.sign();
    case 13: return t.floor();
    case 14: return t.ceil();
    case 15: return t.round();
    case 16: return t.reciprocal();
    case 17: return t.rsqrt();
    case 18: return at::log_sigmoid(t);
    case 19: return t.erf();
    case 20: return t.isnan();
    case 21: return t.isinf();
    case 22: return t.isfinite();
    case 23: return t.sin();
    case 24: return t.cos();
    case 25: return t.logical_not();
    case 26: return t.detach();
    case 27: return t.clone();
    case 28: return t.contiguous();
    case 29: return t.t();
    case 30: return t.lgamma();
    case 31: return t;  // a second handle to the same tensor
    default: throw std::invalid_argument("unknown unary operation " + std::to_string(op));
  }
}

at::Tensor binary(const at::Tensor& a, const at::Tensor& b, int op) {
  switch (op) {
    case 0: return a.add(b);
    case 1: return a.sub(b);
    case 2: return a.mul(b);
    case 3: return a.div(b);
    case 4: return a.pow(b);
    case 5: return a.matmul(b);
    case 6: return a.mm(b);
    case 7: return a.bmm(b);
    case 8: return at::maximum(a, b);
    case 9: return at::minimum(a, b);
    case 10: return a.eq(b);
    case 11: return a.ne(b);
    case 12: return a.lt(b);
    case 13: return a.le(b);
    case 14: return a.gt(b);
    case 15: return a.ge(b);
    case 16: return a.logical_and(b);
    case 17: return a.logical_or(b);
    case 18: return a.remainder(b);
    default: throw std::invalid_argument("unknown binary operation " + std::to_string(op));
  }
}

at::Tensor binary_scalar(const at::Tensor& a, double value, int op) {
  auto s = vae::scalar_for(a, value);
  switch (op) {
    case 0: return a.add(s);
    case 1: return a.sub(s);
    case 2: return a.mul(s);
    case 3: return a.div(s);
    case 4: return a.pow(s);
    case 10: return a.eq(s);
    case 11: return a.ne(s);
    case 12: return a.lt(s);
    case 13: return a.le(s);
    case 14: return a.gt(s);
    case 15: return a.ge(s);
    case 18: return a.remainder(s);
    case 100: return at::rsub(a, s);                    // s - a
    case 101: return at::reciprocal(a).mul(s);           // s / a
    case 102: return at::pow(s, a);                      // s ^ a
    default: throw std::invalid_argument("unknown tensor-scalar operation " + std::to_string(op));
  }
}

void binary_inplace(at::Tensor& a, const at::Tensor& b, int op) {
  switch (op) {
    case 0: a.add_(b); break;
    case 1: a.sub_(b); break;
    case 2: a.mul_(b); break;
    case 3: a.div_(b); break;
    case 50: a.copy_(b); break;
    default: throw std::invalid_argument("unknown in-place operation " + std::to_string(op));
  }
}

void scalar_inplace(at::Tensor& a, double value, double s2, int op) {
  auto s = vae::scalar_for(a, value);
  switch (op) {
    case 0: a.add_(s); break;
    case 1: a.sub_(s); break;
    case 2: a.mul_(s); break;
    case 3: a.div_(s); break;
    case 51: a.fill_(s); break;
    case 52: a.zero_(); break;
    case 53: a.uniform_(value, s2, vae::generator_for(a.device())); break;
    case 54: a.normal_(value, s2, vae::generator_for(a.device())); break;
    case 55: a.clamp_(s, vae::scalar_for(a, s2)); break;
    default: throw std::invalid_argument("unknown in-place scalar operation " + std::to_string(op));
  }
}

}  // namespace

VAE_EXPORT TensorHandle vae_unary(TensorHandle t, int op) {
  return vae::guard_tensor([&] { return unary(vae::deref(t), op); });
}

VAE_EXPORT TensorHandle vae_binary(TensorHandle a, TensorHandle b, int op) {
  return vae::guard_tensor([&] { return binary(vae::deref(a), vae::deref(b), op); });
}

VAE_EXPORT TensorHandle vae_binary_scalar(TensorHandle a, double s, int op) {
  return vae::guard_tensor([&] { return binary_scalar(vae::deref(a), s, op); });
}

// a + alpha * b, the fused form optimizers and residual updates want.
VAE_EXPORT TensorHandle vae_add_scaled(TensorHandle a, TensorHandle b, double alpha) {
  return vae::guard_tensor([&] { return vae::deref(a).add(vae::deref(b), alpha); });
}

VAE_EXPORT int vae_binary_inplace(TensorHandle a, TensorHandle b, int op) {
  return vae::guard_status([&] { binary_inplace(const_cast<at::Tensor&>(vae::deref(a)), vae::deref(b), op); });
}

VAE_EXPORT int vae_scalar_inplace(TensorHandle a, double s, double s2, int op) {
  return vae::guard_status([&] { scalar_inplace(const_cast<at::Tensor&>(vae::deref(a)), s, s2, op); });
}

// clamp with an optional bound on each side (has_min/has_max say which are given).
VAE_EXPORT TensorHandle vae_clamp(TensorHandle t, bool has_min, double min, bool has_max, double max) {
  return vae::guard_tensor([&] {
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
    return vae::deref(t).clamp(lo, hi);
  });
}

VAE_EXPORT TensorHandle vae_where(TensorHandle condition, TensorHandle a, TensorHandle b) {
  return vae::guard_tensor([&] { return at::where(vae::deref(condition), vae::deref(a), vae::deref(b)); });
}

VAE_EXPORT TensorHandle vae_leaky_relu(TensorHandle t, double negative_slope) {
  return vae::guard_tensor([&] { return at::leaky_relu(vae::deref(t), negative_slope); });
}

VAE_EXPORT TensorHandle vae_softplus(TensorHandle t, double beta, double threshold) {
  return vae::guard_tensor([&] { return at::softplus(vae::deref(t), beta, threshold); });
}
