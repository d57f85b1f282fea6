// Binary cross-entropy from logits summed per row, fused and vectorized (see bce_logits.cpp).
#pragma once

#include "api.h"

namespace vae {
// (rows, features) logits and targets → (rows) sums of BCE; differentiable in both.
at::Tensor bce_with_logits_row_sum(const at::Tensor& logits, const at::Tensor& target);
}
