// The VAE's objective in one native call: reconstruction log-likelihood, closed-form KL and the β-weighted loss.
#include "api.h"
#include "bce_logits.h"

#include <cmath>

namespace {

constexpr double kLog2Pi = 1.8378770664093453;  // log(2π)

// -log p(x|z) summed over features, one value per row. Bernoulli takes logits; Gaussian takes the mean and a
// log-variance that broadcasts against it (a scalar, one per feature, or one per element).
at::Tensor reconstruction_nll(const at::Tensor& output, const at::Tensor& target, const at::Tensor& log_variance,
                              int likelihood) {
  auto rows = output.size(0);
  if (likelihood == 0) return vae::bce_with_logits_row_sum(output.reshape({rows, -1}), target.reshape({rows, -1}));
  if (likelihood == 1) {
    auto squared = (target - output).square();
    auto per_element = 0.5 * (squared * (-log_variance).exp() + log_variance + kLog2Pi);
    return per_element.reshape({rows, -1}).sum(1);
  }
  throw std::invalid_argument("unknown likelihood " + std::to_string(likelihood));
}

}  // namespace

// Outputs (each a new handle): loss = mean over rows of recon + beta·KL (with KL per dimension floored at free_bits,
// averaged over the batch, when free_bits > 0); recon_per_row and kl_per_row are the unweighted per-row terms,
// detached from the graph, and kl_per_dim their (N, D) breakdown of the KL.
VAE_EXPORT int vae_elbo(TensorHandle output, TensorHandle target, TensorHandle mu, TensorHandle logvar,
                        TensorHandle gaussian_log_variance, int likelihood, double beta, double free_bits,
                        TensorHandle* loss, TensorHandle* recon_per_row, TensorHandle* kl_per_row,
                        TensorHandle* kl_per_dim) {
  return vae::guard_status([&] {
    const auto& out = vae::deref(output);
    const auto& x = vae::deref(target);
    const auto& m = vae::deref(mu);
    const auto& lv = vae::deref(logvar);
    if (out.dim() < 2 || out.sizes() != x.sizes())
      throw std::invalid_argument("decoder output " + c10::str(out.sizes()) + " and target " + c10::str(x.sizes()) +
                                  " must have the same shape, with rows first");
    if (m.dim() != 2 || m.sizes() != lv.sizes() || m.size(0) != out.size(0))
      throw std::invalid_argument("mu " + c10::str(m.sizes()) + " and logvar " + c10::str(lv.sizes()) +
                                  " must both be (rows, latent) with " + std::to_string(out.size(0)) + " rows");
    at::Tensor gaussian_lv = likelihood == 1 ? (gaussian_log_variance == nullptr ? at::zeros({}, out.options())
                                                                                 : vae::deref(gaussian_log_variance))
                                             : at::Tensor();
    auto recon = reconstruction_nll(out, x, gaussian_lv, likelihood);
    auto kl_dims = -0.5 * (1 + lv - m.square() - lv.exp());
    auto kl = kl_dims.sum(1);
    at::Tensor kl_term = free_bits > 0 ? kl_dims.mean(0).clamp_min(free_bits).sum() : kl.mean();
    *loss = vae::wrap(recon.mean() + beta * kl_term);
    *recon_per_row = vae::wrap(recon.detach());
    *kl_per_row = vae::wrap(kl.detach());
    *kl_per_dim = vae::wrap(kl_dims.detach());
  });
}
