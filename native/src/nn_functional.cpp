// The neural-network primitives modules and losses are built from.
#include "api.h"

namespace {

// An optional tensor argument: a null handle means "not given".
c10::optional<at::Tensor> optional(TensorHandle handle) {
  return handle == nullptr ? c10::optional<at::Tensor>() : c10::optional<at::Tensor>(vae::deref(handle));
}

}  // namespace

VAE_EXPORT TensorHandle vae_linear(TensorHandle input, TensorHandle weight, TensorHandle bias) {
  return vae::guard_tensor([&] { return at::linear(vae::deref(input), vae::deref(weight), optional(bias)); });
}

VAE_EXPORT TensorHandle vae_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, const int64_t* stride,
                                   const int64_t* padding, const int64_t* dilation, int64_t groups) {
  return vae::guard_tensor([&] {
    return at::conv2d(vae::deref(input), vae::deref(weight), optional(bias), vae::dims(stride, 2),
                      vae::dims(padding, 2), vae::dims(dilation, 2), groups);
  });
}

VAE_EXPORT TensorHandle vae_conv_transpose2d(TensorHandle input, TensorHandle weight, TensorHandle bias,
                                             const int64_t* stride, const int64_t* padding,
                                             const int64_t* output_padding, const int64_t* dilation, int64_t groups) {
  return vae::guard_tensor([&] {
    return at::conv_transpose2d(vae::deref(input), vae::deref(weight), optional(bias), vae::dims(stride, 2),
                                vae::dims(padding, 2), vae::dims(output_padding, 2), groups, vae::dims(dilation, 2));
  });
}

// Batch normalization over dimension 1; running statistics are updated in place when training.
VAE_EXPORT TensorHandle vae_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias,
                                       TensorHandle running_mean, TensorHandle running_var, bool training,
                                       double momentum, double eps) {
  return vae::guard_tensor([&] {
    return at::batch_norm(vae::deref(input), optional(weight), optional(bias), optional(running_mean),
                          optional(running_var), training, momentum, eps, /*cudnn_enabled=*/true);
  });
}

VAE_EXPORT TensorHandle vae_dropout(TensorHandle input, double p, bool training) {
  return vae::guard_tensor([&] {
    if (p < 0 || p > 1) throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
    const auto& x = vae::deref(input);
    if (!training || p == 0) return x;
    if (p == 1) return at::zeros_like(x);
    // Drawn here rather than by at::dropout so the thread's generator applies.
    auto keep = at::empty_like(x).bernoulli_(1 - p, vae::generator_for(x.device()));
    return x * keep / (1 - p);
  });
}

VAE_EXPORT TensorHandle vae_mse_loss(TensorHandle input, TensorHandle target, int64_t reduction) {
  return vae::guard_tensor([&] { return at::mse_loss(vae::deref(input), vae::deref(target), reduction); });
}

VAE_EXPORT TensorHandle vae_binary_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight,
                                                 int64_t reduction) {
  return vae::guard_tensor([&] {
    return at::binary_cross_entropy(vae::deref(input), vae::deref(target), optional(weight), reduction);
  });
}

VAE_EXPORT TensorHandle vae_binary_cross_entropy_with_logits(TensorHandle input, TensorHandle target,
                                                             TensorHandle weight, TensorHandle pos_weight,
                                                             int64_t reduction) {
  return vae::guard_tensor([&] {
    return at::binary_cross_entropy_with_logits(vae::deref(input), vae::deref(target), optional(weight),
                                                optional(pos_weight), reduction);
  });
}

VAE_EXPORT TensorHandle vae_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight,
                                          int64_t reduction, int64_t ignore_index, double label_smoothing) {
  return vae::guard_tensor([&] {
    return at::cross_entropy_loss(vae::deref(input), vae::deref(target), optional(weight), reduction, ignore_index,
                                  label_smoothing);
  });
}

VAE_EXPORT TensorHandle vae_nll_loss(TensorHandle input, TensorHandle target, TensorHandle weight, int64_t reduction,
                                     int64_t ignore_index) {
  return vae::guard_tensor([&] {
    return at::nll_loss(vae::deref(input), vae::deref(target), optional(weight), reduction, ignore_index);
  });
}
