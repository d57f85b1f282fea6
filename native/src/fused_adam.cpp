// Adam and AdamW as one pass over memory per parameter (PyTorch's fused=True idea): each element's parameter,
// gradient and two moments are read once and written once, where the unfused update makes about six passes and
// allocates a temporary. The arithmetic follows torch.optim.Adam exactly. Large parameters are split across threads.
#include "api.h"

#include <torch/serialize.h>

#include <cmath>
#include <cstring>
#include <sstream>
#include <thread>
#include <vector>

namespace {

struct FusedAdam {
  std::vector<at::Tensor> params, exp_avg, exp_avg_sq;
  double lr, beta1, beta2, eps, weight_decay;
  bool decoupled;  // AdamW
  int64_t step = 0;
};

// The element loop, written so the compiler vectorizes it: no branches inside (the weight-decay variant is a template
// argument), restrict pointers, and sqrt without errno (-fno-math-errno). target_clones builds AVX-512, AVX2 and
// baseline versions and picks one at load time, so a prebuilt shim stays portable.
enum class Decay { None, L2, Decoupled };

template <typename T, Decay D>
__attribute__((target_clones("avx512f", "avx2", "default")))
void update_range(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, int64_t n, T b1, T b2,
                  T one_minus_b1, T one_minus_b2, T wd, T decay, T eps, T step_size, T sqrt_bc2) {
  for (int64_t i = 0; i < n; i++) {
    T grad = g[i];
    if constexpr (D == Decay::Decoupled) p[i] *= decay;
    if constexpr (D == Decay::L2) grad += wd * p[i];
    m[i] = b1 * m[i] + one_minus_b1 * grad;
    v[i] = b2 * v[i] + one_minus_b2 * grad * grad;
    // The same operations in the same order as torch.optim.Adam: p += -step_size * (m / (sqrt(v) / sqrt(bc2) + eps)).
    p[i] += -step_size * (m[i] / (std::sqrt(v[i]) / sqrt_bc2 + eps));
  }
}

template <typename T>
void update(T* p, const T* g, T* m, T* v, int64_t begin, int64_t end, const FusedAdam& a, double step_size,
            double sqrt_bc2) {
  const T b1 = static_cast<T>(a.beta1), b2 = static_cast<T>(a.beta2);
  const T one_minus_b1 = static_cast<T>(1 - a.beta1), one_minus_b2 = static_cast<T>(1 - a.beta2);
  const T wd = static_cast<T>(a.weight_decay), eps = static_cast<T>(a.eps);
  const T decay = static_cast<T>(1 - a.lr * a.weight_decay);
  const T s = static_cast<T>(step_size), c = static_cast<T>(sqrt_bc2);
  int64_t n = end - begin;
  p += begin; g += begin; m += begin; v += begin;
  if (a.decoupled)
    update_range<T, Decay::Decoupled>(p, g, m, v, n, b1, b2, one_minus_b1, one_minus_b2, wd, decay, eps, s, c);
  else if (a.weight_decay != 0)
    update_range<T, Decay::L2>(p, g, m, v, n, b1, b2, one_minus_b1, one_minus_b2, wd, decay, eps, s, c);
  else
    update_range<T, Decay::None>(p, g, m, v, n, b1, b2, one_minus_b1, one_minus_b2, wd, decay, eps, s, c);
}

void step(FusedAdam& a, int threads) {
  a.step++;
  double bc1 = 1 - std::pow(a.beta1, static_cast<double>(a.step));
  double bc2 = 1 - std::pow(a.beta2, static_cast<double>(a.step));
  double step_size = a.lr / bc1, sqrt_bc2 = std::sqrt(bc2);
  // Work items: (parameter, begin, end) chunks of about equal size, dealt round-robin to the threads.
  struct Chunk { size_t param; int64_t begin, end; };
  std::vector<Chunk> chunks;
  int64_t total = 0;
  for (const auto& p : a.params) total += p.numel();
  int64_t chunk_size = std::max<int64_t>(16384, total / std::max(1, threads) + 1);
  for (size_t i = 0; i < a.params.size(); i++) {
    if (!a.params[i].grad().defined()) continue;
    for (int64_t b = 0; b < a.params[i].numel(); b += chunk_size)
      chunks.push_back({i, b, std::min(a.params[i].numel(), b + chunk_size)});
  }
  auto run = [&](int worker) {
    for (size_t k = worker; k < chunks.size(); k += threads) {
      const auto& c = chunks[k];
      auto& p = a.params[c.param];
      auto g = p.grad();
      if (p.scalar_type() == at::kFloat)
        update<float>(p.data_ptr<float>(), g.data_ptr<float>(), a.exp_avg[c.param].data_ptr<float>(),
                      a.exp_avg_sq[c.param].data_ptr<float>(), c.begin, c.end, a, step_size, sqrt_bc2);
      else
        update<double>(p.data_ptr<double>(), g.data_ptr<double>(), a.exp_avg[c.param].data_ptr<double>(),
                       a.exp_avg_sq[c.param].data_ptr<double>(), c.begin, c.end, a, step_size, sqrt_bc2);
    }
  };
  threads = std::max(1, std::min<int>(threads, static_cast<int>(chunks.size())));
  std::vector<std::thread> helpers;
  for (int w = 1; w < threads; w++) helpers.emplace_back(run, w);
  run(0);
  for (auto& h : helpers) h.join();
  // The parameters were written through raw pointers; raise their version counters as an in-place op would, so
  // caches keyed on the version (the zero-skipping linear's transposed weight) see the change.
  for (auto& p : a.params)
    if (p.grad().defined()) p.unsafeGetTensorImpl()->bump_version();
}

FusedAdam& deref(void* handle) {
  if (handle == nullptr) throw std::invalid_argument("null optimizer handle");
  return *static_cast<FusedAdam*>(handle);
}

}  // namespace

VAE_EXPORT void* vae_fused_adam_new(const TensorHandle* params, int count, double lr, double beta1, double beta2,
                                    double eps, double weight_decay, bool decoupled) {
  FusedAdam* result = nullptr;
  vae::guard_status([&] {
    auto a = std::make_unique<FusedAdam>();
    for (int i = 0; i < count; i++) {
      const auto& p = vae::deref(params[i]);
      if (!p.is_leaf()) throw std::invalid_argument("optimizer parameter " + std::to_string(i) + " is not a leaf tensor");
      if (!p.device().is_cpu() || !p.is_contiguous() || (p.scalar_type() != at::kFloat && p.scalar_type() != at::kDouble))
        throw std::invalid_argument("the fused Adam needs contiguous Float32 or Float64 CPU parameters");
      a->params.push_back(p);
      a->exp_avg.push_back(at::zeros_like(p));
      a->exp_avg_sq.push_back(at::zeros_like(p));
    }
    a->lr = lr; a->beta1 = beta1; a->beta2 = beta2; a->eps = eps; a->weight_decay = weight_decay; a->decoupled = decoupled;
    result = a.release();
  });
  return result;
}

VAE_EXPORT void vae_fused_adam_free(void* handle) { delete static_cast<FusedAdam*>(handle); }

VAE_EXPORT int vae_fused_adam_step(void* handle, int threads) {
  return vae::guard_status([&] {
    auto& a = deref(handle);
    for (const auto& p : a.params) {
      const auto& g = p.grad();
      if (g.defined() && (!g.is_contiguous() || g.scalar_type() != p.scalar_type()))
        throw std::invalid_argument("the fused Adam needs contiguous gradients of the parameters' dtype");
    }
    step(a, std::max(1, threads));
  });
}

VAE_EXPORT int vae_fused_adam_zero_grad(void* handle) {
  return vae::guard_status([&] {
    for (auto& p : deref(handle).params) p.mutable_grad() = at::Tensor();
  });
}

VAE_EXPORT int vae_fused_adam_lr(void* handle, double lr, double* previous) {
  return vae::guard_status([&] {
    auto& a = deref(handle);
    *previous = a.lr;
    if (lr >= 0) a.lr = lr;
  });
}

// State: the step count and both moments of every parameter, as a libtorch archive (size first, like optimizer saves).
VAE_EXPORT int vae_fused_adam_save(void* handle, char* buffer, int64_t capacity, int64_t* size) {
  return vae::guard_status([&] {
    auto& a = deref(handle);
    torch::serialize::OutputArchive archive;
    archive.write("step", at::tensor(a.step));
    for (size_t i = 0; i < a.params.size(); i++) {
      archive.write("exp_avg." + std::to_string(i), a.exp_avg[i]);
      archive.write("exp_avg_sq." + std::to_string(i), a.exp_avg_sq[i]);
    }
    std::ostringstream stream;
    archive.save_to(stream);
    auto bytes = stream.str();
    *size = static_cast<int64_t>(bytes.size());
    if (buffer == nullptr) return;
    if (capacity < *size) throw std::invalid_argument("optimizer state buffer too small");
    std::memcpy(buffer, bytes.data(), bytes.size());
  });
}

VAE_EXPORT int vae_fused_adam_load(void* handle, const char* buffer, int64_t size) {
  return vae::guard_status([&] {
    auto& a = deref(handle);
    if (buffer == nullptr || size <= 0) throw std::invalid_argument("empty optimizer state");
    std::istringstream stream(std::string(buffer, static_cast<size_t>(size)));
    torch::serialize::InputArchive archive;
    archive.load_from(stream);
    at::Tensor step;
    archive.read("step", step);
    std::vector<at::Tensor> m(a.params.size()), v(a.params.size());
    for (size_t i = 0; i < a.params.size(); i++) {
      archive.read("exp_avg." + std::to_string(i), m[i]);
      archive.read("exp_avg_sq." + std::to_string(i), v[i]);
      if (m[i].sizes() != a.params[i].sizes() || v[i].sizes() != a.params[i].sizes())
        throw std::invalid_argument("optimizer state for parameter " + std::to_string(i) + " has shape " +
                                    c10::str(m[i].sizes()) + ", expected " + c10::str(a.params[i].sizes()));
    }
    for (size_t i = 0; i < a.params.size(); i++) {
      a.exp_avg[i] = m[i].to(a.params[i].scalar_type()).contiguous();
      a.exp_avg_sq[i] = v[i].to(a.params[i].scalar_type()).contiguous();
    }
    a.step = step.item<int64_t>();
  });
}
