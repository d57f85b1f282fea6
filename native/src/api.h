// Shared plumbing for every export of the shim: handle types, error capture and handle checks.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

#define VAE_EXPORT extern "C" __attribute__((visibility("default")))

using TensorHandle = at::Tensor*;

namespace vae {

// Keeps the message of the last failed call on this thread; the managed side reads it right after a sentinel.
void set_last_error(const std::string& message);

inline const at::Tensor& deref(TensorHandle handle) {
  if (handle == nullptr) throw std::invalid_argument("null tensor handle");
  if (!handle->defined()) throw std::invalid_argument("undefined tensor");
  return *handle;
}

inline TensorHandle wrap(at::Tensor tensor) { return new at::Tensor(std::move(tensor)); }

template <typename F>
void capture_errors(F&& body, bool& failed) {
  try {
    body();
    failed = false;
  } catch (const c10::Error& e) {
    set_last_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_last_error(e.what());
  } catch (...) {
    set_last_error("unknown native error");
  }
}

// Runs body; returns a new tensor handle, or nullptr after recording the error.
template <typename F>
TensorHandle guard_tensor(F&& body) {
  TensorHandle result = nullptr;
  bool failed = true;
  capture_errors([&] { result = wrap(body()); }, failed);
  return failed ? nullptr : result;
}

// Runs body; returns 0, or -1 after recording the error.
template <typename F>
int guard_status(F&& body) {
  bool failed = true;
  capture_errors(body, failed);
  return failed ? -1 : 0;
}

at::IntArrayRef dims(const int64_t* values, int count);

// The generator random operations on device should draw from: this thread's override, or none (the global default).
c10::optional<at::Generator> generator_for(const at::Device& device);

// The managed side passes every scalar as a double; a whole number meets an integer tensor as an integer, as a
// Python int literal would, so `long_tensor + 1` stays Int64 and in-place updates of counters work.
inline at::Scalar scalar_for(const at::Tensor& t, double value) {
  if (at::isIntegralType(t.scalar_type(), /*includeBool=*/true) && value == static_cast<double>(static_cast<int64_t>(value)))
    return at::Scalar(static_cast<int64_t>(value));
  return at::Scalar(value);
}

}  // namespace vae
