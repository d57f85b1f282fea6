namespace Vae.MLNet.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Element-wise sum.</summary>
        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        /// <summary>Adds a scalar.</summary>
        public static Tensor operator +(Tensor a, double b) => a.add(b);
        /// <summary>Adds a scalar.</summary>
        public static Tensor operator +(double a, Tensor b) => b.add(a);
        /// <summary>Element-wise difference.</summary>
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        /// <summary>Subtracts a scalar.</summary>
        public static Tensor operator -(Tensor a, double b) => a.sub(b);
        /// <summary>A scalar minus each element.</summary>
        public static Tensor operator -(double a, Tensor b) => b.Binary(a, Native.BinaryOp.rsub);
        /// <summary>Element-wise product.</summary>
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        /// <summary>Multiplies by a scalar.</summary>
        public static Tensor operator *(Tensor a, double b) => a.mul(b);
        /// <summary>Multiplies by a scalar.</summary>
        public static Tensor operator *(double a, Tensor b) => b.mul(a);
        /// <summary>Element-wise quotient.</summary>
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        /// <summary>Divides by a scalar.</summary>
        public static Tensor operator /(Tensor a, double b) => a.div(b);
        /// <summary>A scalar divided by each element.</summary>
        public static Tensor operator /(double a, Tensor b) => b.Binary(a, Native.BinaryOp.rdiv);
        /// <summary>Negation.</summary>
        public static Tensor operator -(Tensor a) => a.neg();
    }
}
