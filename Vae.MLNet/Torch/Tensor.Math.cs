using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private Tensor Unary(UnaryOp op) =>
            Wrap(NativeMethods.vae_unary(Handle, (int)op), () => $"{op} of a tensor of shape {ShapeString()}");

        private Tensor Binary(Tensor other, BinaryOp op) =>
            Wrap(NativeMethods.vae_binary(Handle, other.Handle, (int)op),
                () => $"{op} of tensors of shapes {ShapeString()} and {other.ShapeString()}");

        private Tensor Binary(double scalar, BinaryOp op) =>
            Wrap(NativeMethods.vae_binary_scalar(Handle, scalar, (int)op),
                () => $"{op} of a tensor of shape {ShapeString()} and the scalar {scalar}");

        private Tensor InPlace(Tensor other, BinaryOp op)
        {
            if (NativeMethods.vae_binary_inplace(Handle, other.Handle, (int)op) != 0)
                throw NativeMethods.Failure($"in-place {op} of tensors of shapes {ShapeString()} and {other.ShapeString()}");
            return this;
        }

        private Tensor InPlace(ScalarInPlaceOp op, double a = 0, double b = 0)
        {
            if (NativeMethods.vae_scalar_inplace(Handle, a, b, (int)op) != 0)
                throw NativeMethods.Failure($"in-place {op} of a tensor of shape {ShapeString()}");
            return this;
        }

        /// <summary>Element-wise sum, broadcasting.</summary>
        public Tensor add(Tensor other) => Binary(other, BinaryOp.add);
        /// <summary>this + alpha * other.</summary>
        public Tensor add(Tensor other, double alpha) =>
            Wrap(NativeMethods.vae_add_scaled(Handle, other.Handle, alpha),
                () => $"add of tensors of shapes {ShapeString()} and {other.ShapeString()}");
        /// <summary>Adds a scalar.</summary>
        public Tensor add(double scalar) => Binary(scalar, BinaryOp.add);
        /// <summary>Element-wise difference, broadcasting.</summary>
        public Tensor sub(Tensor other) => Binary(other, BinaryOp.sub);
        /// <summary>Subtracts a scalar.</summary>
        public Tensor sub(double scalar) => Binary(scalar, BinaryOp.sub);
        /// <summary>Element-wise product, broadcasting.</summary>
        public Tensor mul(Tensor other) => Binary(other, BinaryOp.mul);
        /// <summary>Multiplies by a scalar.</summary>
        public Tensor mul(double scalar) => Binary(scalar, BinaryOp.mul);
        /// <summary>Element-wise quotient, broadcasting.</summary>
        public Tensor div(Tensor other) => Binary(other, BinaryOp.div);
        /// <summary>Divides by a scalar.</summary>
        public Tensor div(double scalar) => Binary(scalar, BinaryOp.div);
        /// <summary>Element-wise power.</summary>
        public Tensor pow(Tensor exponent) => Binary(exponent, BinaryOp.pow);
        /// <summary>Raises every element to a scalar power.</summary>
        public Tensor pow(double exponent) => Binary(exponent, BinaryOp.pow);
        /// <summary>Element-wise remainder with the sign of the divisor.</summary>
        public Tensor remainder(double divisor) => Binary(divisor, BinaryOp.remainder);
        /// <summary>Matrix product with PyTorch's broadcasting rules for batches and vectors.</summary>
        public Tensor matmul(Tensor other) => Binary(other, BinaryOp.matmul);
        /// <summary>Product of two matrices.</summary>
        public Tensor mm(Tensor other) => Binary(other, BinaryOp.mm);
        /// <summary>Batched product of two 3-D tensors.</summary>
        public Tensor bmm(Tensor other) => Binary(other, BinaryOp.bmm);
        /// <summary>Element-wise maximum.</summary>
        public Tensor maximum(Tensor other) => Binary(other, BinaryOp.maximum);
        /// <summary>Element-wise minimum.</summary>
        public Tensor minimum(Tensor other) => Binary(other, BinaryOp.minimum);

        /// <summary>Element-wise equality (a Bool tensor).</summary>
        public Tensor eq(Tensor other) => Binary(other, BinaryOp.eq);
        /// <summary>Element-wise equality with a scalar.</summary>
        public Tensor eq(double other) => Binary(other, BinaryOp.eq);
        /// <summary>Element-wise inequality.</summary>
        public Tensor ne(Tensor other) => Binary(other, BinaryOp.ne);
        /// <summary>Element-wise inequality with a scalar.</summary>
        public Tensor ne(double other) => Binary(other, BinaryOp.ne);
        /// <summary>Element-wise less-than.</summary>
        public Tensor lt(Tensor other) => Binary(other, BinaryOp.lt);
        /// <summary>Element-wise less-than a scalar.</summary>
        public Tensor lt(double other) => Binary(other, BinaryOp.lt);
        /// <summary>Element-wise less-or-equal.</summary>
        public Tensor le(Tensor other) => Binary(other, BinaryOp.le);
        /// <summary>Element-wise less-or-equal to a scalar.</summary>
        public Tensor le(double other) => Binary(other, BinaryOp.le);
        /// <summary>Element-wise greater-than.</summary>
        public Tensor gt(Tensor other) => Binary(other, BinaryOp.gt);
        /// <summary>Element-wise greater-than a scalar.</summary>
        public Tensor gt(double other) => Binary(other, BinaryOp.gt);
        /// <summary>Element-wise greater-or-equal.</summary>
        public Tensor ge(Tensor other) => Binary(other, BinaryOp.ge);
        /// <summary>Element-wise greater-or-equal to a scalar.</summary>
        public Tensor ge(double other) => Binary(other, BinaryOp.ge);
        /// <summary>Element-wise logical and.</summary>
        public Tensor logical_and(Tensor other) => Binary(other, BinaryOp.logical_and);
        /// <summary>Element-wise logical or.</summary>
        public Tensor logical_or(Tensor other) => Binary(other, BinaryOp.logical_or);
        /// <summary>Element-wise logical not.</summary>
        public Tensor logical_not() => Unary(UnaryOp.logical_not);

        /// <summary>Negation.</summary>
        public Tensor neg() => Unary(UnaryOp.neg);
        /// <summary>e to the power of each element.</summary>
        public Tensor exp() => Unary(UnaryOp.exp);
        /// <summary>Natural logarithm.</summary>
        public Tensor log() => Unary(UnaryOp.log);
        /// <summary>log(1 + x), accurate for small x.</summary>
        public Tensor log1p() => Unary(UnaryOp.log1p);
        /// <summary>exp(x) - 1, accurate for small x.</summary>
        public Tensor expm1() => Unary(UnaryOp.expm1);
        /// <summary>Square root.</summary>
        public Tensor sqrt() => Unary(UnaryOp.sqrt);
        /// <summary>1 / sqrt(x).</summary>
        public Tensor rsqrt() => Unary(UnaryOp.rsqrt);
        /// <summary>Absolute value.</summary>
        public Tensor abs() => Unary(UnaryOp.abs);
        /// <summary>x * x.</summary>
        public Tensor square() => Unary(UnaryOp.square);
        /// <summary>1 / x.</summary>
        public Tensor reciprocal() => Unary(UnaryOp.reciprocal);
        /// <summary>-1, 0 or 1.</summary>
        public Tensor sign() => Unary(UnaryOp.sign);
        /// <summary>Rounds down.</summary>
        public Tensor floor() => Unary(UnaryOp.floor);
        /// <summary>Rounds up.</summary>
        public Tensor ceil() => Unary(UnaryOp.ceil);
        /// <summary>Rounds half to even.</summary>
        public Tensor round() => Unary(UnaryOp.round);
        /// <summary>The logistic function 1 / (1 + e^-x).</summary>
        public Tensor sigmoid() => Unary(UnaryOp.sigmoid);
        /// <summary>max(x, 0).</summary>
        public Tensor relu() => Unary(UnaryOp.relu);
        /// <summary>Hyperbolic tangent.</summary>
        public Tensor tanh() => Unary(UnaryOp.tanh);
        /// <summary>log(1 + e^x), computed stably.</summary>
        public Tensor softplus() => Unary(UnaryOp.softplus);
        /// <summary>The error function.</summary>
        public Tensor erf() => Unary(UnaryOp.erf);
        /// <summary>log |Γ(x)|.</summary>
        public Tensor lgamma() => Unary(UnaryOp.lgamma);
        /// <summary>Sine.</summary>
        public Tensor sin() => Unary(UnaryOp.sin);
        /// <summary>Cosine.</summary>
        public Tensor cos() => Unary(UnaryOp.cos);
        /// <summary>Which elements are NaN.</summary>
        public Tensor isnan() => Unary(UnaryOp.isnan);
        /// <summary>Which elements are ±infinity.</summary>
        public Tensor isinf() => Unary(UnaryOp.isinf);
        /// <summary>Which elements are finite.</summary>
        public Tensor isfinite() => Unary(UnaryOp.isfinite);

        /// <summary>Limits every element to [min, max]; a null bound is not applied.</summary>
        public Tensor clamp(double? min = null, double? max = null) =>
            Wrap(NativeMethods.vae_clamp(Handle, min.HasValue, min ?? 0, max.HasValue, max ?? 0),
                () => $"clamp of a tensor of shape {ShapeString()}");
        /// <summary>max(x, min).</summary>
        public Tensor clamp_min(double min) => clamp(min, null);
        /// <summary>min(x, max).</summary>
        public Tensor clamp_max(double max) => clamp(null, max);

        /// <summary>Softmax along a dimension.</summary>
        public Tensor softmax(long dim) =>
            Wrap(NativeMethods.vae_softmax(Handle, dim, false), () => $"softmax over dimension {dim} of a tensor of shape {ShapeString()}");
        /// <summary>Log-softmax along a dimension, computed stably.</summary>
        public Tensor log_softmax(long dim) =>
            Wrap(NativeMethods.vae_softmax(Handle, dim, true), () => $"log_softmax over dimension {dim} of a tensor of shape {ShapeString()}");

        /// <summary>Adds other in place.</summary>
        public Tensor add_(Tensor other) => InPlace(other, BinaryOp.add);
        /// <summary>Adds a scalar in place.</summary>
        public Tensor add_(double scalar) => InPlace(ScalarInPlaceOp.add, scalar);
        /// <summary>Subtracts other in place.</summary>
        public Tensor sub_(Tensor other) => InPlace(other, BinaryOp.sub);
        /// <summary>Subtracts a scalar in place.</summary>
        public Tensor sub_(double scalar) => InPlace(ScalarInPlaceOp.sub, scalar);
        /// <summary>Multiplies by other in place.</summary>
        public Tensor mul_(Tensor other) => InPlace(other, BinaryOp.mul);
        /// <summary>Multiplies by a scalar in place.</summary>
        public Tensor mul_(double scalar) => InPlace(ScalarInPlaceOp.mul, scalar);
        /// <summary>Divides by other in place.</summary>
        public Tensor div_(Tensor other) => InPlace(other, BinaryOp.div);
        /// <summary>Divides by a scalar in place.</summary>
        public Tensor div_(double scalar) => InPlace(ScalarInPlaceOp.div, scalar);
        /// <summary>Copies the values of source (broadcast to this shape) into this tensor.</summary>
        public Tensor copy_(Tensor source) => InPlace(source, BinaryOp.copy);
        /// <summary>Sets every element to zero.</summary>
        public Tensor zero_() => InPlace(ScalarInPlaceOp.zero);
        /// <summary>Sets every element to value.</summary>
        public Tensor fill_(double value) => InPlace(ScalarInPlaceOp.fill, value);
        /// <summary>Fills with samples from U(from, to).</summary>
        public Tensor uniform_(double from = 0, double to = 1) => InPlace(ScalarInPlaceOp.uniform, from, to);
        /// <summary>Fills with samples from N(mean, std²).</summary>
        public Tensor normal_(double mean = 0, double std = 1) => InPlace(ScalarInPlaceOp.normal, mean, std);
        /// <summary>Limits every element to [min, max] in place.</summary>
        public Tensor clamp_(double min, double max) => InPlace(ScalarInPlaceOp.clamp, min, max);

        /// <summary>A copy that shares no storage and has no autograd history link.</summary>
        public Tensor clone() => Unary(UnaryOp.clone);
        /// <summary>The same data, cut from the autograd graph.</summary>
        public Tensor detach() => Unary(UnaryOp.detach);
        /// <summary>The same values in row-major contiguous memory.</summary>
        public Tensor contiguous() => Unary(UnaryOp.contiguous);
        /// <summary>A second handle to this very tensor (same storage, same autograd node).</summary>
        internal Tensor alias() => Unary(UnaryOp.alias);
        /// <summary>Transpose of a matrix (0-D and 1-D tensors are returned as they are).</summary>
        public Tensor t() => Unary(UnaryOp.t);
    }
}
