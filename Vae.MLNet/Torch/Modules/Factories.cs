using Vae.MLNet.Torch.Modules;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    /// <summary>Neural-network modules, functions and initialization, as in TorchSharp's torch.nn.</summary>
    public static partial class nn
    {
        /// <summary>A fully connected layer.</summary>
        public static Modules.Linear Linear(long inputSize, long outputSize, bool hasBias = true) => new(inputSize, outputSize, hasBias);

        /// <summary>A 2-D convolution with a square kernel.</summary>
        public static Modules.Conv2d Conv2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0,
            long dilation = 1, long groups = 1, bool bias = true) =>
            new(in_channels, out_channels, kernelSize, stride, padding, dilation, groups, bias);

        /// <summary>A 2-D transposed convolution with a square kernel.</summary>
        public static Modules.ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, long kernelSize, long stride = 1,
            long padding = 0, long output_padding = 0, long dilation = 1, long groups = 1, bool bias = true) =>
            new(in_channels, out_channels, kernelSize, stride, padding, output_padding, dilation, groups, bias);

        /// <summary>Batch normalization of (N, C) or (N, C, L) inputs.</summary>
        public static Modules.BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true,
            bool track_running_stats = true) => new(num_features, eps, momentum, affine, track_running_stats);

        /// <summary>Batch normalization of (N, C, H, W) inputs.</summary>
        public static Modules.BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true,
            bool track_running_stats = true) => new(num_features, eps, momentum, affine, track_running_stats);

        /// <summary>Dropout.</summary>
        public static Modules.Dropout Dropout(double p = 0.5) => new(p);

        /// <summary>A sequence of modules.</summary>
        public static Modules.Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);

        /// <summary>A sequence of named modules.</summary>
        public static Modules.Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] modules) => new(modules);

        /// <summary>The rectifier.</summary>
        public static Modules.ReLU ReLU() => new();

        /// <summary>The leaky rectifier.</summary>
        public static Modules.LeakyReLU LeakyReLU(double negative_slope = 0.01) => new(negative_slope);

        /// <summary>The logistic function.</summary>
        public static Modules.Sigmoid Sigmoid() => new();

        /// <summary>Hyperbolic tangent.</summary>
        public static Modules.Tanh Tanh() => new();

        /// <summary>Flattens dimensions start_dim..end_dim.</summary>
        public static Modules.Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);

        /// <summary>Splits dimension dim into the given sizes.</summary>
        public static Modules.Unflatten Unflatten(long dim, long[] unflattened_size) => new(dim, unflattened_size);

        /// <summary>The identity.</summary>
        public static Modules.Identity Identity() => new();

        /// <summary>A trainable tensor.</summary>
        public static Parameter Parameter(Tensor data, bool requires_grad = true) => new(data, requires_grad);
    }
}
