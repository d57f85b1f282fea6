// Optimizers: libtorch's Adam, AdamW and SGD behind opaque handles, with state save and restore.
#include "api.h"

#include <torch/optim.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/serialize.h>

#include <cstring>
#include <memory>
#include <sstream>
#include <vector>

using OptimizerHandle = torch::optim::Optimizer*;

namespace {

std::vector<at::Tensor> parameters(const TensorHandle* handles, int count) {
  if (count < 0 || (count > 0 && handles == nullptr)) throw std::invalid_argument("invalid parameter list");
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; i++) {
    const auto& p = vae::deref(handles[i]);
    if (!p.is_leaf()) throw std::invalid_argument("optimizer parameter " + std::to_string(i) + " is not a leaf tensor");
    list.push_back(p);
  }
  return list;
}

torch::optim::Optimizer& deref(OptimizerHandle handle) {
  if (handle == nullptr) throw std::invalid_argument("null optimizer handle");
  return *handle;
}

OptimizerHandle guard_optimizer(const std::function<OptimizerHandle()>& body) {
  OptimizerHandle result = nullptr;
  if (vae::guard_status([&] { result = body(); }) != 0) return nullptr;
  return result;
}

}  // namespace

// kind: 0 Adam, 1 AdamW. betas and eps as in PyTorch.
VAE_EXPORT OptimizerHandle vae_optim_adam(const TensorHandle* params, int count, int kind, double lr, double beta1,
                                          double beta2, double eps, double weight_decay, bool amsgrad) {
  return guard_optimizer([&]() -> OptimizerHandle {
    auto list = parameters(params, count);
    if (kind == 0) {
      auto options = torch::optim::AdamOptions(lr).betas({beta1, beta2}).eps(eps).weight_decay(weight_decay).amsgrad(amsgrad);
      return new torch::optim::Adam(list, options);
    }
    auto options = torch::optim::AdamWOptions(lr).betas({beta1, beta2}).eps(eps).weight_decay(weight_decay).amsgrad(amsgrad);
    return new torch::optim::AdamW(list, options);
  });
}

VAE_EXPORT OptimizerHandle vae_optim_sgd(const TensorHandle* params, int count, double lr, double momentum,
                                         double dampening, double weight_decay, bool nesterov) {
  return guard_optimizer([&]() -> OptimizerHandle {
    auto options = torch::optim::SGDOptions(lr).momentum(momentum).dampening(dampening).weight_decay(weight_decay).nesterov(nesterov);
    return new torch::optim::SGD(parameters(params, count), options);
  });
}

VAE_EXPORT void vae_optim_free(OptimizerHandle handle) { delete handle; }

VAE_EXPORT int vae_optim_step(OptimizerHandle handle) {
  return vae::guard_status([&] {
    at::NoGradGuard no_grad;
    deref(handle).step();
  });
}

VAE_EXPORT int vae_optim_zero_grad(OptimizerHandle handle, bool set_to_none) {
  return vae::guard_status([&] {
    if (!set_to_none) return deref(handle).zero_grad();
    for (auto& group : deref(handle).param_groups())
      for (auto& p : group.params()) p.mutable_grad() = at::Tensor();
  });
}

VAE_EXPORT int vae_optim_get_lr(OptimizerHandle handle, double* lr) {
  return vae::guard_status([&] { *lr = deref(handle).param_groups().at(0).options().get_lr(); });
}

VAE_EXPORT int vae_optim_set_lr(OptimizerHandle handle, double lr) {
  return vae::guard_status([&] {
    for (auto& group : deref(handle).param_groups()) group.options().set_lr(lr);
  });
}

// Serializes the optimizer's state (moments, step counts, options). Call once with buffer = null to learn the size
// (written to *size), then again with a buffer of that size.
VAE_EXPORT int vae_optim_save(OptimizerHandle handle, char* buffer, int64_t capacity, int64_t* size) {
  return vae::guard_status([&] {
    std::ostringstream stream;
    torch::serialize::OutputArchive archive;
    deref(handle).save(archive);
    archive.save_to(stream);
    auto bytes = stream.str();
    *size = static_cast<int64_t>(bytes.size());
    if (buffer == nullptr) return;
    if (capacity < *size) throw std::invalid_argument("optimizer state buffer too small");
    std::memcpy(buffer, bytes.data(), bytes.size());
  });
}

VAE_EXPORT int vae_optim_load(OptimizerHandle handle, const char* buffer, int64_t size) {
  return vae::guard_status([&] {
    if (buffer == nullptr || size <= 0) throw std::invalid_argument("empty optimizer state");
    std::istringstream stream(std::string(buffer, static_cast<size_t>(size)));
    torch::serialize::InputArchive archive;
    archive.load_from(stream);
    deref(handle).load(archive);
  });
}

// Scales the gradients of the listed parameters so their joint L2 norm is at most max_norm; reports the norm before.
VAE_EXPORT int vae_clip_grad_norm(const TensorHandle* params, int count, double max_norm, double* total_norm) {
  return vae::guard_status([&] {
    if (!(max_norm > 0)) throw std::invalid_argument("max_norm must be positive");
    std::vector<at::Tensor> list;
    for (int i = 0; i < count; i++) list.push_back(vae::deref(params[i]));
    *total_norm = torch::nn::utils::clip_grad_norm_(list, max_norm);
  });
}
