// Random number generators: seeded CPU generators, and a per-thread override that every random operation of the
// shim draws from, so concurrent trainings on different threads stay reproducible.
#include "api.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cstring>
#include <mutex>

using GeneratorHandle = at::Generator*;

namespace {
thread_local at::Generator* thread_generator = nullptr;

at::Generator& deref(GeneratorHandle handle) {
  if (handle == nullptr) throw std::invalid_argument("null generator handle");
  return *handle;
}
}  // namespace

namespace vae {
c10::optional<at::Generator> generator_for(const at::Device& device) {
  if (thread_generator == nullptr || !device.is_cpu()) return c10::nullopt;
  return *thread_generator;
}
}  // namespace vae

VAE_EXPORT GeneratorHandle vae_generator_new(int64_t seed) {
  GeneratorHandle result = nullptr;
  vae::guard_status([&] { result = new at::Generator(at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(seed))); });
  return result;
}

VAE_EXPORT void vae_generator_free(GeneratorHandle handle) {
  if (thread_generator == handle) thread_generator = nullptr;
  delete handle;
}

VAE_EXPORT int vae_generator_seed(GeneratorHandle handle, int64_t seed) {
  return vae::guard_status([&] {
    auto& g = deref(handle);
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(static_cast<uint64_t>(seed));
  });
}

// Copies the generator's state (call with buffer = null first to learn the size).
VAE_EXPORT int vae_generator_get_state(GeneratorHandle handle, uint8_t* buffer, int64_t capacity, int64_t* size) {
  return vae::guard_status([&] {
    auto& g = deref(handle);
    std::lock_guard<std::mutex> lock(g.mutex());
    auto state = g.get_state();
    *size = state.numel();
    if (buffer == nullptr) return;
    if (capacity < *size) throw std::invalid_argument("generator state buffer too small");
    std::memcpy(buffer, state.data_ptr(), static_cast<size_t>(*size));
  });
}

VAE_EXPORT int vae_generator_set_state(GeneratorHandle handle, const uint8_t* buffer, int64_t size) {
  return vae::guard_status([&] {
    auto& g = deref(handle);
    if (buffer == nullptr || size <= 0) throw std::invalid_argument("empty generator state");
    auto state = at::empty({size}, at::kByte);
    std::memcpy(state.data_ptr(), buffer, static_cast<size_t>(size));
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_state(state);
  });
}

// Makes handle the generator of this thread's random operations (null restores the global default); returns the
// previous one so scopes can nest.
VAE_EXPORT GeneratorHandle vae_set_thread_generator(GeneratorHandle handle) {
  auto previous = thread_generator;
  thread_generator = handle;
  return previous;
}
