namespace Vae.MLNet.Torch.Native;

// Operation codes shared with native/src/tensor_elementwise.cpp and tensor_reduce.cpp; keep the numbers in step.

internal enum UnaryOp
{
    neg = 0, exp, log, sqrt, abs, sigmoid, relu, tanh, softplus, square, log1p, expm1, sign, floor, ceil, round,
    reciprocal, rsqrt, log_sigmoid, erf, isnan, isinf, isfinite, sin, cos, logical_not, detach, clone, contiguous, t,
    lgamma, alias,
}

internal enum BinaryOp
{
    add = 0, sub, mul, div, pow, matmul, mm, bmm, maximum, minimum, eq, ne, lt, le, gt, ge, logical_and, logical_or,
    remainder,
    // Tensor-scalar only: scalar on the left.
    rsub = 100, rdiv, rpow,
    // In place only.
    copy = 50,
}

internal enum ScalarInPlaceOp { add = 0, sub, mul, div, fill = 51, zero, uniform, normal, clamp }

internal enum ReduceOp { sum = 0, mean, max, min, prod, std, var, argmax, argmin, all, any, norm, logsumexp }

internal enum LikeKind { zeros = 0, ones, randn, rand, empty }

internal enum FactoryKind { empty = 0, zeros, ones, randn, rand, full }

internal enum ReshapeOp { view = 0, reshape, permute, expand, repeat }
