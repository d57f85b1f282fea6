using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Stateless neural-network functions (TorchSharp's torch.nn.functional).</summary>
        public static class functional
        {
            /// <summary>max(x, 0).</summary>
            public static Tensor relu(Tensor x) => x.relu();
            /// <summary>The logistic function.</summary>
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            /// <summary>Hyperbolic tangent.</summary>
            public static Tensor tanh(Tensor x) => x.tanh();
            /// <summary>log(1 + e^(βx)) / β, linear above threshold.</summary>
            public static Tensor softplus(Tensor x, double beta = 1, double threshold = 20) =>
                Tensor.Wrap(NativeMethods.vae_softplus(x.Handle, beta, threshold), () => $"softplus of a tensor of shape {x.ShapeString()}");
            /// <summary>x for x ≥ 0, negative_slope · x otherwise.</summary>
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) =>
                Tensor.Wrap(NativeMethods.vae_leaky_relu(x.Handle, negative_slope), () => $"leaky_relu of a tensor of shape {x.ShapeString()}");
            /// <summary>Softmax along a dimension.</summary>
            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
            /// <summary>Log-softmax along a dimension.</summary>
            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

            /// <summary>Zeroes elements with probability p when training, scaling the rest by 1/(1-p).</summary>
            public static Tensor dropout(Tensor x, double p = 0.5, bool training = true) =>
                Tensor.Wrap(NativeMethods.vae_dropout(x.Handle, p, training), () => $"dropout of a tensor of shape {x.ShapeString()}");

            /// <summary>x Wᵀ + b.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Tensor.Wrap(NativeMethods.vae_linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero),
                    () => $"linear of an input of shape {input.ShapeString()} with weight {weight.ShapeString()}");

            /// <summary>
            /// input · Wᵀ + bias under no_grad, skipping each row's zero entries: rows with at most maxDensity · in
            /// nonzero entries cost in proportion to those entries; denser rows go through the GEMM. The result of a
            /// row the kernel takes depends on that row alone (its terms are added in column order).
            /// weightTransposedPadded is Wᵀ with its rows padded to a multiple of 16 columns, (in, ≥ outFeatures).
            /// Non-float32 or non-CPU tensors use the plain GEMM.
            /// </summary>
            internal static Tensor sparse_input_linear(Tensor input, Tensor weightTransposedPadded, Tensor? bias, long outFeatures, double maxDensity) =>
                Tensor.Wrap(NativeMethods.vae_sparse_input_linear(input.Handle, weightTransposedPadded.Handle, bias?.Handle ?? IntPtr.Zero, outFeatures, maxDensity),
                    () => $"sparse_input_linear of an input of shape {input.ShapeString()} with padded transposed weight {weightTransposedPadded.ShapeString()}");

            /// <summary>For tests: makes sparse_input_linear run its "avx512", "avx2" or "baseline" kernel, or the "best" one.</summary>
            internal static void sparse_input_linear_use(string variant) =>
                NativeMethods.Check(NativeMethods.vae_sparse_input_linear_use(variant), $"choosing the sparse_input_linear kernel '{variant}'");

            /// <summary>Mean (or summed, or per-element) squared error.</summary>
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.vae_mse_loss(input.Handle, target.Handle, (long)reduction),
                    () => $"mse_loss of input {input.ShapeString()} and target {target.ShapeString()}");

            /// <summary>-[t log p + (1 - t) log(1 - p)] for probabilities p (libtorch clamps log at -100).</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.vae_binary_cross_entropy(input.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero, (long)reduction),
                    () => $"binary_cross_entropy of input {input.ShapeString()} and target {target.ShapeString()} (inputs must lie in [0, 1])");

            /// <summary>Binary cross-entropy from logits, computed stably (no sigmoid round trip).</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null,
                Reduction reduction = Reduction.Mean, Tensor? pos_weights = null) =>
                Tensor.Wrap(NativeMethods.vae_binary_cross_entropy_with_logits(input.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero,
                        pos_weights?.Handle ?? IntPtr.Zero, (long)reduction),
                    () => $"binary_cross_entropy_with_logits of input {input.ShapeString()} and target {target.ShapeString()}");

            /// <summary>Cross-entropy of logits (N, C) against Int64 class indices (N) or class probabilities (N, C).</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean, double label_smoothing = 0) =>
                Tensor.Wrap(NativeMethods.vae_cross_entropy(input.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero, (long)reduction,
                        ignore_index, label_smoothing),
                    () => $"cross_entropy of input {input.ShapeString()} and target {target.ShapeString()}");

            /// <summary>Negative log-likelihood of log-probabilities (N, C) at Int64 class indices (N).</summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.vae_nll_loss(input.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero, (long)reduction, ignore_index),
                    () => $"nll_loss of input {input.ShapeString()} and target {target.ShapeString()}");
        }
    }
}
