import Foundation

// Activation functions, each a primitive with a one-pass backward kernel.

extension Tensor {
    /// max(x, 0) elementwise.
    public func relu() throws(TensorError) -> Tensor {
        try unaryPrimitive("relu", ReluKernel(), backward: ReluBackwardKernel())
    }

    /// x for x > 0, `slope`·x otherwise (Maas et al., 2013, "Rectifier Nonlinearities Improve
    /// Neural Network Acoustic Models").
    public func leakyRelu(slope: Float = 0.01) throws(TensorError) -> Tensor {
        try unaryPrimitive(
            "leakyRelu", LeakyReluKernel(slope: slope),
            backward: LeakyReluBackwardKernel(slope: slope))
    }

    /// x for x > 0, `alpha`·(eˣ − 1) otherwise (Clevert et al., 2015, "Fast and Accurate Deep
    /// Network Learning by Exponential Linear Units").
    public func elu(alpha: Float = 1) throws(TensorError) -> Tensor {
        try unaryPrimitive(
            "elu", EluKernel(alpha: alpha), backward: EluBackwardKernel(alpha: alpha),
            savesOutput: true)
    }

    /// x·Φ(x) with Φ the standard normal CDF, computed exactly with erf (Hendrycks & Gimpel,
    /// 2016, "Gaussian Error Linear Units"); PyTorch's default `gelu`.
    public func gelu() throws(TensorError) -> Tensor {
        try unaryPrimitive("gelu", GeluKernel(), backward: GeluBackwardKernel())
    }

    /// The hyperbolic tangent of each element.
    public func tanh() throws(TensorError) -> Tensor {
        try unaryPrimitive("tanh", TanhKernel(), backward: TanhBackwardKernel(), savesOutput: true)
    }

    /// The logistic function 1 / (1 + e⁻ˣ), computed without overflow for large |x|.
    public func sigmoid() throws(TensorError) -> Tensor {
        try unaryPrimitive(
            "sigmoid", SigmoidKernel(), backward: SigmoidBackwardKernel(), savesOutput: true)
    }

    /// log(1 + eˣ), computed as max(x, 0) + log1p(e^-|x|) so it neither overflows nor loses
    /// precision.
    public func softplus() throws(TensorError) -> Tensor {
        try unaryPrimitive("softplus", SoftplusKernel(), backward: SoftplusBackwardKernel())
    }
}

// MARK: - Kernels

struct ReluKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 }
}

/// g where x > 0, else 0.
struct ReluBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : 0 }
}

private struct LeakyReluKernel: UnaryFloatKernel {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : slope * x }
}

private struct LeakyReluBackwardKernel: BinaryFloatKernel {
    let slope: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        x > 0 ? g : slope * g
    }
}

private struct EluKernel: UnaryFloatKernel {
    let alpha: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        x > 0 ? x : alpha * Foundation.expm1(x)
    }
}

/// g for y > 0, g·(y + α) otherwise (from the saved output y).
private struct EluBackwardKernel: BinaryFloatKernel {
    let alpha: Float
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float {
        y > 0 ? g : g * (y + alpha)
    }
}

private struct GeluKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        0.5 * x * (1 + Foundation.erf(x * 0.707_106_77))
    }
}

/// g·(Φ(x) + x·φ(x)).
private struct GeluBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        let cdf = 0.5 * (1 + Foundation.erf(x * 0.707_106_77))
        let density = 0.398_942_3 * Foundation.exp(-0.5 * x * x)
        return g * (cdf + x * density)
    }
}

struct TanhKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.tanh(x) }
}

/// g·(1 − y²).
private struct TanhBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}

struct SigmoidKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}

/// g·y·(1 − y).
private struct SigmoidBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
}

private struct SoftplusKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    }
}

/// g·sigmoid(x).
private struct SoftplusBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        g * SigmoidKernel()(x)
    }
}
