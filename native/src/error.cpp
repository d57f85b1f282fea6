// The thread-local last-error slot and the exports that read it.
#include "api.h"

#include <cstring>

namespace {
thread_local std::string last_error;
}

namespace vae {
void set_last_error(const std::string& message) { last_error = message; }

at::IntArrayRef dims(const int64_t* values, int count) {
  if (count < 0 || (count > 0 && values == nullptr)) throw std::invalid_argument("invalid dimension list");
  return at::IntArrayRef(values, static_cast<size_t>(count));
}
}  // namespace vae

// Copies the last error of this thread into buffer (NUL-terminated, truncated to capacity); returns its full length.
VAE_EXPORT int vae_last_error(char* buffer, int capacity) {
  int length = static_cast<int>(last_error.size());
  if (buffer != nullptr && capacity > 0) {
    int copied = std::min(length, capacity - 1);
    std::memcpy(buffer, last_error.data(), static_cast<size_t>(copied));
    buffer[copied] = '\0';
  }
  return length;
}

VAE_EXPORT void vae_clear_error() { last_error.clear(); }
