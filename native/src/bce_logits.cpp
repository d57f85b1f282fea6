// Binary cross-entropy from logits, summed per row, as one autograd node with hand-vectorized kernels.
// libtorch computes it from about eight elementwise passes (and as many in backward); here the forward is one pass
// (softplus(x) − t·x, with softplus(x) = max(x, 0) + log1p(exp(−|x|))) and the backward one more
// ((sigmoid(x) − t) · grad), using SLEEF's vector exp and log1p (the library libtorch itself uses) on AVX-512 or AVX2.
#include "bce_logits.h"

#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <immintrin.h>

extern "C" {
__m512 Sleef_expf16_u10avx512f(__m512);
__m512 Sleef_log1pf16_u10avx512f(__m512);
__m256 Sleef_expf8_u10avx2(__m256);
__m256 Sleef_log1pf8_u10avx2(__m256);
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

const bool kAvx512 = __builtin_cpu_supports("avx512f");
const bool kAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");

template <typename T>
T softplus_minus(T x, T t) { return std::max(x, T(0)) + std::log1p(std::exp(-std::abs(x))) - t * x; }

template <typename T>
T sigmoid(T x) {
  T e = std::exp(-std::abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

__attribute__((target("avx512f"))) float row_sum_avx512(const float* x, const float* t, int64_t n) {
  __m512 acc = _mm512_setzero_ps();
  const __m512 zero = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 xv = _mm512_loadu_ps(x + i), tv = _mm512_loadu_ps(t + i);
    __m512 neg_abs = _mm512_min_ps(xv, _mm512_sub_ps(zero, xv));
    __m512 term = _mm512_add_ps(_mm512_max_ps(xv, zero), Sleef_log1pf16_u10avx512f(Sleef_expf16_u10avx512f(neg_abs)));
    acc = _mm512_add_ps(acc, _mm512_sub_ps(term, _mm512_mul_ps(tv, xv)));
  }
  float sum = _mm512_reduce_add_ps(acc);
  for (; i < n; i++) sum += softplus_minus(x[i], t[i]);
  return sum;
}

__attribute__((target("avx2,fma"))) float row_sum_avx2(const float* x, const float* t, int64_t n) {
  __m256 acc = _mm256_setzero_ps();
  const __m256 zero = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 xv = _mm256_loadu_ps(x + i), tv = _mm256_loadu_ps(t + i);
    __m256 neg_abs = _mm256_min_ps(xv, _mm256_sub_ps(zero, xv));
    __m256 term = _mm256_add_ps(_mm256_max_ps(xv, zero), Sleef_log1pf8_u10avx2(Sleef_expf8_u10avx2(neg_abs)));
    acc = _mm256_add_ps(acc, _mm256_sub_ps(term, _mm256_mul_ps(tv, xv)));
  }
  __m128 half = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  half = _mm_hadd_ps(half, half);
  float sum = _mm_cvtss_f32(_mm_hadd_ps(half, half));
  for (; i < n; i++) sum += softplus_minus(x[i], t[i]);
  return sum;
}

// grad[i] = (sigmoid(x[i]) − t[i]) · g
__attribute__((target("avx512f"))) void grad_avx512(const float* x, const float* t, float g, float* out, int64_t n) {
  const __m512 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1), gv = _mm512_set1_ps(g);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 xv = _mm512_loadu_ps(x + i);
    __m512 e = Sleef_expf16_u10avx512f(_mm512_min_ps(xv, _mm512_sub_ps(zero, xv)));
    __m512 numerator = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(xv, zero, _CMP_GE_OQ), e, one);
    __m512 s = _mm512_div_ps(numerator, _mm512_add_ps(one, e));
    _mm512_storeu_ps(out + i, _mm512_mul_ps(_mm512_sub_ps(s, _mm512_loadu_ps(t + i)), gv));
  }
  for (; i < n; i++) out[i] = (sigmoid(x[i]) - t[i]) * g;
}

__attribute__((target("avx2,fma"))) void grad_avx2(const float* x, const float* t, float g, float* out, int64_t n) {
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1), gv = _mm256_set1_ps(g);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 xv = _mm256_loadu_ps(x + i);
    __m256 e = Sleef_expf8_u10avx2(_mm256_min_ps(xv, _mm256_sub_ps(zero, xv)));
    __m256 numerator = _mm256_blendv_ps(e, one, _mm256_cmp_ps(xv, zero, _CMP_GE_OQ));
    __m256 s = _mm256_div_ps(numerator, _mm256_add_ps(one, e));
    _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_sub_ps(s, _mm256_loadu_ps(t + i)), gv));
  }
  for (; i < n; i++) out[i] = (sigmoid(x[i]) - t[i]) * g;
}

template <typename T>
void forward_rows(const T* x, const T* t, T* out, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; r++) {
    const T* xr = x + r * cols;
    const T* tr = t + r * cols;
    if constexpr (std::is_same_v<T, float>) {
      if (kAvx512) { out[r] = row_sum_avx512(xr, tr, cols); continue; }
      if (kAvx2) { out[r] = row_sum_avx2(xr, tr, cols); continue; }
    }
    T sum = 0;
    for (int64_t j = 0; j < cols; j++) sum += softplus_minus(xr[j], tr[j]);
    out[r] = sum;
  }
}

template <typename T>
void backward_rows(const T* x, const T* t, const T* g, T* out, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; r++) {
    const T* xr = x + r * cols;
    const T* tr = t + r * cols;
    T* o = out + r * cols;
    if constexpr (std::is_same_v<T, float>) {
      if (kAvx512) { grad_avx512(xr, tr, g[r], o, cols); continue; }
      if (kAvx2) { grad_avx2(xr, tr, g[r], o, cols); continue; }
    }
    for (int64_t j = 0; j < cols; j++) o[j] = (sigmoid(xr[j]) - tr[j]) * g[r];
  }
}

struct BceRowSum : public torch::autograd::Function<BceRowSum> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& logits, const at::Tensor& target) {
    auto x = logits.contiguous();
    auto t = target.to(x.scalar_type()).contiguous();
    ctx->save_for_backward({x, t});
    auto out = at::empty({x.size(0)}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "bce_row_sum", [&] {
      forward_rows(x.data_ptr<scalar_t>(), t.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), x.size(0), x.size(1));
    });
    return out;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& t = saved[1];
    auto g = grad_outputs[0].contiguous();
    at::Tensor grad_logits, grad_target;
    if (ctx->needs_input_grad(0)) {
      grad_logits = at::empty_like(x);
      AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "bce_row_sum_backward", [&] {
        backward_rows(x.data_ptr<scalar_t>(), t.data_ptr<scalar_t>(), g.data_ptr<scalar_t>(), grad_logits.data_ptr<scalar_t>(),
                      x.size(0), x.size(1));
      });
    }
    if (ctx->needs_input_grad(1)) grad_target = -x * g.unsqueeze(1);
    return {grad_logits, grad_target};
  }
};

}  // namespace

namespace vae {
at::Tensor bce_with_logits_row_sum(const at::Tensor& logits, const at::Tensor& target) {
  if (logits.dim() != 2 || logits.sizes() != target.sizes())
    throw std::invalid_argument("logits " + c10::str(logits.sizes()) + " and target " + c10::str(target.sizes()) +
                                " must be the same (rows, features) shape");
  if (!logits.device().is_cpu() || (logits.scalar_type() != at::kFloat && logits.scalar_type() != at::kDouble))
    return at::binary_cross_entropy_with_logits(logits, target, {}, {}, at::Reduction::None).sum(1);
  return BceRowSum::apply(logits, target);
}
}  // namespace vae

VAE_EXPORT TensorHandle vae_bce_with_logits_row_sum(TensorHandle logits, TensorHandle target) {
  return vae::guard_tensor([&] { return vae::bce_with_logits_row_sum(vae::deref(logits), vae::deref(target)); });
}
