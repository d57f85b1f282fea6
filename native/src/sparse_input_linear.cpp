// An inference-only linear layer that skips the zero entries of each input row: y = x · Wᵀ + b computed as
// b + Σ_{j : x_j ≠ 0} x_j · Wᵀ[j, :]. Inputs such as images on a blank background (MNIST rows are about 80% zeros),
// one-hot or bag-of-words features do a fraction of a dense GEMM's work this way. Rows denser than a threshold go
// through the ordinary GEMM instead, where it is faster. The result of a row the kernel takes depends on that row
// alone (its terms are added in ascending column order), whatever the batch and the thread count.
#include <ATen/core/grad_mode.h>

#include <immintrin.h>

#include <atomic>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "api.h"
#include "worker_pool.h"

namespace {

// Sixteen floats: one AVX-512 register, two AVX2 registers, four SSE registers; GCC lowers it for each target below.
typedef float float16v __attribute__((vector_size(64), aligned(4)));

#define VAE_INLINE __attribute__((always_inline)) inline

// One chunk of R vectors (up to 16·R output columns, `columns` of them wanted) of one row: the accumulators stay in
// registers while the row's nonzero entries stream the matching slices of Wᵀ through them. Wᵀ's rows are padded to
// whole vectors, so the last, partial vector is computed whole and stored in part.
template <int R>
VAE_INLINE void row_chunk(const float* x, const int32_t* nonzero, int64_t count, const float* weight_t, int64_t stride,
                          const float* bias, float* out, int64_t columns) {
  float16v acc[R];
#pragma GCC unroll 32
  for (int r = 0; r < R; r++) acc[r] = float16v{};
  for (int64_t t = 0; t < count; t++) {
    int32_t j = nonzero[t];
    float value = x[j];
    auto w = reinterpret_cast<const float16v*>(weight_t + j * stride);
#pragma GCC unroll 32
    for (int r = 0; r < R; r++) acc[r] += value * w[r];
  }
#pragma GCC unroll 32
  for (int r = 0; r < R; r++) {
    int64_t wanted = columns - 16 * r;
    if (wanted >= 16) {
      float16v sum = acc[r];
      if (bias != nullptr) sum += reinterpret_cast<const float16v*>(bias)[r];
      reinterpret_cast<float16v*>(out)[r] = sum;
    } else {
      float lanes[16];
      std::memcpy(lanes, &acc[r], sizeof lanes);
      for (int64_t k = 0; k < wanted; k++) out[16 * r + k] = lanes[k] + (bias == nullptr ? 0.f : bias[16 * r + k]);
    }
  }
}

// Runs row_chunk with the chunk width chosen at run time (1..MaxR vectors).
template <int MaxR>
VAE_INLINE void chunk_of_width(int width, const float* x, const int32_t* nonzero, int64_t count, const float* weight_t,
                               int64_t stride, const float* bias, float* out, int64_t columns) {
  if (width == MaxR) {
    row_chunk<MaxR>(x, nonzero, count, weight_t, stride, bias, out, columns);
  } else if constexpr (MaxR > 1) {
    chunk_of_width<MaxR - 1>(width, x, nonzero, count, weight_t, stride, bias, out, columns);
  }
}

// Lists the nonzero columns of a row; returns their count.
struct ScalarNonzeros {
  VAE_INLINE static int64_t list(const float* x, int64_t n, int32_t* nonzero) {
    int64_t count = 0;
    for (int64_t j = 0; j < n; j++) {
      nonzero[count] = static_cast<int32_t>(j);
      count += x[j] != 0;
    }
    return count;
  }
};

// The same with AVX-512: sixteen columns compared at once, the nonzero ones' indices compressed into place.
struct Avx512Nonzeros {
  __attribute__((target("avx512f"), noinline)) static int64_t list(const float* x, int64_t n, int32_t* nonzero) {
    int64_t count = 0, j = 0;
    __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i step = _mm512_set1_epi32(16);
    for (; j + 16 <= n; j += 16, index = _mm512_add_epi32(index, step)) {
      __mmask16 mask = _mm512_cmp_ps_mask(_mm512_loadu_ps(x + j), _mm512_setzero_ps(), _CMP_NEQ_UQ);
      _mm512_storeu_si512(nonzero + count, _mm512_maskz_compress_epi32(mask, index));
      count += __builtin_popcount(mask);
    }
    for (; j < n; j++) {
      nonzero[count] = static_cast<int32_t>(j);
      count += x[j] != 0;
    }
    return count;
  }
};

// Rows [begin, end): each row's nonzero columns are listed; a row with more than `limit` of them is only marked
// dense (the GEMM takes it), the others are computed in chunks of at most MaxR vectors (as many as the target's
// registers hold), spread evenly.
template <int MaxR, typename Nonzeros>
VAE_INLINE void sparse_rows(const float* input, int64_t begin, int64_t end, int64_t in_features, int64_t limit,
                            const float* weight_t, int64_t stride, const float* bias, int64_t out_features,
                            float* output, uint8_t* dense) {
  // Room for a whole vector store past the last nonzero; kept per thread, so blocks of rows allocate nothing.
  thread_local std::vector<int32_t> nonzero;
  if (nonzero.size() < static_cast<size_t>(in_features + 16)) nonzero.resize(static_cast<size_t>(in_features + 16));
  int64_t vectors = (out_features + 15) / 16, chunks = (vectors + MaxR - 1) / MaxR;
  for (int64_t i = begin; i < end; i++) {
    const float* x = input + i * in_features;
    float* y = output + i * out_features;
    int64_t count = Nonzeros::list(x, in_features, nonzero.data());
    dense[i] = count > limit;
    if (dense[i]) continue;
    for (int64_t c = 0, done = 0; c < chunks; c++) {
      int width = static_cast<int>((vectors - done) / (chunks - c));
      chunk_of_width<MaxR>(width, x, nonzero.data(), count, weight_t + done * 16, stride,
                           bias == nullptr ? nullptr : bias + done * 16, y + done * 16, out_features - done * 16);
      done += width;
    }
  }
}

using SparseRowsFn = void (*)(const float*, int64_t, int64_t, int64_t, int64_t, const float*, int64_t, const float*,
                              int64_t, float*, uint8_t*);

#define VAE_SPARSE_ROWS_ARGS                                                                                  \
  const float *input, int64_t begin, int64_t end, int64_t in_features, int64_t limit, const float *weight_t, \
      int64_t stride, const float *bias, int64_t out_features, float *output, uint8_t *dense
#define VAE_SPARSE_ROWS_CALL input, begin, end, in_features, limit, weight_t, stride, bias, out_features, output, dense

__attribute__((target("avx512f,avx512vl,avx2,fma"))) void sparse_rows_avx512(VAE_SPARSE_ROWS_ARGS) {
  sparse_rows<28, Avx512Nonzeros>(VAE_SPARSE_ROWS_CALL);
}

__attribute__((target("avx2,fma"))) void sparse_rows_avx2(VAE_SPARSE_ROWS_ARGS) {
  sparse_rows<6, ScalarNonzeros>(VAE_SPARSE_ROWS_CALL);
}

void sparse_rows_baseline(VAE_SPARSE_ROWS_ARGS) { sparse_rows<3, ScalarNonzeros>(VAE_SPARSE_ROWS_CALL); }

bool cpu_has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma");
}

bool cpu_has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

SparseRowsFn best_kernel() {
  __builtin_cpu_init();
  return cpu_has_avx512() ? sparse_rows_avx512 : cpu_has_avx2() ? sparse_rows_avx2 : sparse_rows_baseline;
}

// The kernel in use: the best this CPU runs, unless a test chose another (vae_sparse_input_linear_use).
std::atomic<SparseRowsFn> current_kernel{best_kernel()};

void check_arguments(const at::Tensor& x, const at::Tensor& weight_t, const c10::optional<at::Tensor>& bias,
                     int64_t out_features) {
  if (x.dim() != 2 || weight_t.dim() != 2 || x.size(1) != weight_t.size(0))
    throw std::invalid_argument("sparse_input_linear needs input (rows, in) and transposed weight (in, out), got " +
                                c10::str(x.sizes()) + " and " + c10::str(weight_t.sizes()));
  if (x.size(1) > INT32_MAX)
    throw std::invalid_argument("sparse_input_linear takes at most 2^31 - 1 inputs per row, got " + std::to_string(x.size(1)));
  if (out_features < 1 || weight_t.size(1) < out_features || weight_t.size(1) % 16 != 0)
    throw std::invalid_argument("sparse_input_linear's transposed weight must be padded to whole vectors of 16: " +
                                std::to_string(out_features) + " outputs in " + c10::str(weight_t.sizes()));
  if (bias && (bias->dim() != 1 || bias->size(0) != out_features))
    throw std::invalid_argument("sparse_input_linear's bias must have shape (" + std::to_string(out_features) +
                                "), got " + c10::str(bias->sizes()));
  bool grad_wanted = x.requires_grad() || weight_t.requires_grad() || (bias && bias->requires_grad());
  if (at::GradMode::is_enabled() && grad_wanted)
    throw std::invalid_argument("sparse_input_linear has no gradient; call it under no_grad");
}

// weight_t is Wᵀ with its rows padded to whole vectors: (in, stride), the first out_features columns used.
at::Tensor sparse_input_linear(const at::Tensor& input, const at::Tensor& weight_t,
                               const c10::optional<at::Tensor>& bias, int64_t out_features, double max_density) {
  check_arguments(input, weight_t, bias, out_features);
  auto used = weight_t.narrow(1, 0, out_features);
  bool float_cpu = input.scalar_type() == at::kFloat && weight_t.scalar_type() == at::kFloat &&
                   (!bias || bias->scalar_type() == at::kFloat) && input.device().is_cpu() &&
                   weight_t.device().is_cpu() && (!bias || bias->device().is_cpu());
  if (!float_cpu) return bias ? at::addmm(*bias, input, used) : at::mm(input, used);

  auto x = input.contiguous();
  auto w = weight_t.contiguous();
  auto b = bias ? c10::optional<at::Tensor>(bias->contiguous()) : c10::nullopt;
  int64_t rows = x.size(0), in_features = x.size(1);
  auto output = at::empty({rows, out_features}, x.options());
  if (rows == 0) return output;

  // The kernel computes the rows sparse enough for it and marks the others, which the GEMM then takes. Blocks of
  // rows are handed out one at a time to the pool's threads (rows differ in their count of nonzeros).
  const SparseRowsFn kernel = current_kernel.load();
  const float* data = x.data_ptr<float>();
  const float* weights = w.data_ptr<float>();
  const float* bias_data = b ? b->data_ptr<float>() : nullptr;
  float* out = output.data_ptr<float>();
  auto limit = static_cast<int64_t>(max_density * static_cast<double>(in_features));
  std::vector<uint8_t> dense(static_cast<size_t>(rows));
  constexpr int64_t block = 16;
  vae::parallel_tasks((rows + block - 1) / block, [&](int64_t k) {
    kernel(data, k * block, std::min(rows, (k + 1) * block), in_features, limit, weights, w.size(1), bias_data,
           out_features, out, dense.data());
  });

  std::vector<int64_t> dense_rows;
  for (int64_t i = 0; i < rows; i++)
    if (dense[i]) dense_rows.push_back(i);
  if (dense_rows.empty()) return output;
  auto w_used = w.narrow(1, 0, out_features);
  if (dense_rows.size() == static_cast<size_t>(rows)) {
    b ? at::addmm_out(output, *b, x, w_used) : at::mm_out(output, x, w_used);
  } else {
    auto index = at::from_blob(dense_rows.data(), {static_cast<int64_t>(dense_rows.size())}, at::kLong);
    auto rows_in = x.index_select(0, index);
    output.index_copy_(0, index, b ? at::addmm(*b, rows_in, w_used) : at::mm(rows_in, w_used));
  }
  return output;
}

}  // namespace

VAE_EXPORT TensorHandle vae_sparse_input_linear(TensorHandle input, TensorHandle weight_t, TensorHandle bias,
                                                int64_t out_features, double max_density) {
  return vae::guard_tensor([&] {
    if (!(max_density >= 0 && max_density <= 1))
      throw std::invalid_argument("max_density must be in [0, 1], got " + std::to_string(max_density));
    c10::optional<at::Tensor> b = bias == nullptr ? c10::nullopt : c10::optional<at::Tensor>(vae::deref(bias));
    return sparse_input_linear(vae::deref(input), vae::deref(weight_t), b, out_features, max_density);
  });
}

// For tests: runs the kernel built for "avx512", "avx2" or "baseline" (or "best"), so every variant can be checked on
// a machine that has the instructions.
VAE_EXPORT int vae_sparse_input_linear_use(const char* variant) {
  return vae::guard_status([&] {
    __builtin_cpu_init();
    std::string name = variant == nullptr ? "" : variant;
    if (name == "best") current_kernel = best_kernel();
    else if (name == "avx512" && cpu_has_avx512()) current_kernel = sparse_rows_avx512;
    else if (name == "avx2" && cpu_has_avx2()) current_kernel = sparse_rows_avx2;
    else if (name == "baseline") current_kernel = sparse_rows_baseline;
    else throw std::invalid_argument("no sparse_input_linear kernel '" + name + "' on this CPU");
  });
}
