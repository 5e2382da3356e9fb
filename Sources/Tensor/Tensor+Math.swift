import Foundation

// Elementwise math functions. Each is a primitive: a forward kernel and a backward kernel that
// maps (gradient, input) or (gradient, output) to the input's gradient in one pass.

extension Tensor {
    /// Applies `forward` elementwise and records `backward(gradient, saved)` as the gradient
    /// rule, where `saved` is the input, or the output when `savesOutput`.
    func unaryPrimitive<Forward: UnaryFloatKernel, Backward: BinaryFloatKernel>(
        _ operation: String, _ forward: Forward, backward: Backward, savesOutput: Bool = false
    ) throws(TensorError) -> Tensor {
        var result = try Tensor.map(self, forward, operation: operation)
        if Tensor.recordsGradient(self) {
            let saved = savesOutput ? result.detached : detached
            result.recordGradient(operation, inputs: [self]) { gradient throws(TensorError) in
                [try Tensor.zip(gradient, saved, backward, operation: "\(operation) backward")]
            }
        }
        return result
    }

    /// e raised to each element.
    public func exp() throws(TensorError) -> Tensor {
        try unaryPrimitive("exp", ExpKernel(), backward: MultiplyKernel(), savesOutput: true)
    }

    /// The natural logarithm of each element (-inf at 0, NaN below).
    public func log() throws(TensorError) -> Tensor {
        try unaryPrimitive("log", LogKernel(), backward: DivideKernel())
    }

    /// The square root of each element.
    public func sqrt() throws(TensorError) -> Tensor {
        try unaryPrimitive("sqrt", SqrtKernel(), backward: SqrtBackwardKernel(), savesOutput: true)
    }

    /// Each element squared.
    public func squared() throws(TensorError) -> Tensor {
        try unaryPrimitive("square", SquareKernel(), backward: SquareBackwardKernel())
    }

    /// Each element raised to `exponent`.
    ///
    /// ```swift
    /// try x.pow(3)
    /// ```
    public func pow(_ exponent: Float) throws(TensorError) -> Tensor {
        try unaryPrimitive(
            "pow", PowKernel(exponent: exponent), backward: PowBackwardKernel(exponent: exponent))
    }

    /// Each element raised to the matching element of `exponent` (broadcasting). The gradient
    /// with respect to the exponent is xʸ·log x, so it needs positive bases.
    public func pow(_ exponent: Tensor) throws(TensorError) -> Tensor {
        var result = try Tensor.zip(self, exponent, PowerKernel(), operation: "pow")
        if Tensor.recordsGradient(self, exponent) {
            let (base, power) = (detached, exponent.detached)
            let (needsBase, needsPower) = (requiresGradient, exponent.requiresGradient)
            result.recordGradient("pow", inputs: [self, exponent]) { gradient throws(TensorError) in
                [
                    needsBase
                        ? try Tensor.zip(
                            gradient, base, power, PowerBaseBackwardKernel(), operation: "pow"
                        ).summed(toShape: base.shape) : nil,
                    needsPower
                        ? try Tensor.zip(
                            gradient, base, power, PowerExponentBackwardKernel(), operation: "pow"
                        ).summed(toShape: power.shape) : nil,
                ]
            }
        }
        return result
    }

    /// The absolute value of each element (its gradient at 0 is taken as 0).
    public func abs() throws(TensorError) -> Tensor {
        try unaryPrimitive("abs", AbsKernel(), backward: AbsBackwardKernel())
    }
}

// MARK: - Kernels

struct ExpKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.exp(x) }
}

struct LogKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.log(x) }
}

struct SqrtKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() }
}

/// g / (2·√x), from the saved output √x.
private struct SqrtBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * 0.5 / y }
}

struct SquareKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x }
}

/// 2·g·x.
private struct SquareBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { 2 * g * x }
}

struct PowKernel: UnaryFloatKernel {
    let exponent: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Foundation.pow(x, exponent) }
}

/// g·p·x^(p-1).
private struct PowBackwardKernel: BinaryFloatKernel {
    let exponent: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        exponent == 0 ? 0 : g * exponent * Foundation.pow(x, exponent - 1)
    }
}

private struct PowerKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

/// g·y·x^(y−1).
private struct PowerBaseBackwardKernel: TernaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float, _ y: Float) -> Float {
        y == 0 ? 0 : g * y * Foundation.pow(x, y - 1)
    }
}

/// g·xʸ·log x.
private struct PowerExponentBackwardKernel: TernaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float, _ y: Float) -> Float {
        g * Foundation.pow(x, y) * Foundation.log(x)
    }
}

struct AbsKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.abs(x) }
}

/// g·sign(x), with sign(0) = 0.
private struct AbsBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        x > 0 ? g : (x < 0 ? -g : 0)
    }
}
