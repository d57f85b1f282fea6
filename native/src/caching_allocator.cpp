// A caching CPU allocator for libtorch. A training step frees and allocates the same block sizes every time (the
// activations and gradients of a batch); glibc serves blocks over its mmap threshold with fresh mmap calls, so each
// step used to pay for unmapping, mapping and page faults. Freed blocks wait here, by exact size, for the next request
// of that size, up to a cap; vae_cpu_empty_cache returns them to the system.
#include "api.h"

#include <c10/core/CPUAllocator.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace {

constexpr size_t kAlignment = 64;                // what libtorch's own CPU allocator guarantees
constexpr size_t kMinCachedBytes = 64 * 1024;    // smaller blocks: malloc is fast and never maps
constexpr size_t kMaxCachedBytes = 512ull << 20; // the most memory kept for reuse

// Each block starts with a header recording its size, so the deleter knows where to cache it.
struct alignas(kAlignment) Header {
  size_t size;
};

class CachingCpuAllocator final : public c10::Allocator {
 public:
  c10::DataPtr allocate(size_t n) const override {
    void* block = Take(n);
    if (block == nullptr) {
      block = std::aligned_alloc(kAlignment, sizeof(Header) + RoundUp(n));
      if (block == nullptr) throw std::bad_alloc();
      static_cast<Header*>(block)->size = n;
    }
    void* data = static_cast<char*>(block) + sizeof(Header);
    return {data, data, &Release, c10::Device(c10::DeviceType::CPU)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &Release; }

  static void Release(void* data) {
    if (data == nullptr) return;
    void* block = static_cast<char*>(data) - sizeof(Header);
    size_t n = static_cast<Header*>(block)->size;
    if (n >= kMinCachedBytes && Instance().Keep(block, n)) return;
    std::free(block);
  }

  static CachingCpuAllocator& Instance() {
    static CachingCpuAllocator instance;
    return instance;
  }

  void EmptyCache() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [size, blocks] : cache_)
      for (void* block : blocks) std::free(block);
    cache_.clear();
    cached_bytes_ = 0;
  }

  size_t CachedBytes() const { return cached_bytes_.load(); }

 private:
  static size_t RoundUp(size_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

  void* Take(size_t n) const {
    if (n < kMinCachedBytes) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(n);
    if (it == cache_.end() || it->second.empty()) return nullptr;
    void* block = it->second.back();
    it->second.pop_back();
    cached_bytes_ -= n;
    return block;
  }

  bool Keep(void* block, size_t n) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cached_bytes_ + n > kMaxCachedBytes) return false;
    cache_[n].push_back(block);
    cached_bytes_ += n;
    return true;
  }

  mutable std::mutex mutex_;
  mutable std::unordered_map<size_t, std::vector<void*>> cache_;
  mutable std::atomic<size_t> cached_bytes_{0};
};

// Installed when the shim loads, ahead of libtorch's default (priority 0), for every CPU tensor from then on.
const bool installed = [] {
  c10::SetCPUAllocator(&CachingCpuAllocator::Instance(), /*priority=*/1);
  return true;
}();

}  // namespace

// Frees every cached block; returns the bytes released.
VAE_EXPORT int64_t vae_cpu_empty_cache() {
  auto& allocator = CachingCpuAllocator::Instance();
  auto bytes = static_cast<int64_t>(allocator.CachedBytes());
  allocator.EmptyCache();
  return bytes;
}

VAE_EXPORT int64_t vae_cpu_cached_bytes() { return static_cast<int64_t>(CachingCpuAllocator::Instance().CachedBytes()); }
