// Broadcasting arithmetic: +, -, *, / between tensors and with Float scalars, each a primitive
// with a backward rule that sums the gradient back over broadcast axes.

struct AddKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x + y }
}

struct SubtractKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x - y }
}

struct MultiplyKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x * y }
}

struct DivideKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x / y }
}

/// d(x / y)/dy times the gradient: -g·x / y².
private struct DivideRightBackwardKernel: TernaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float, _ y: Float) -> Float {
        -g * x / (y * y)
    }
}

struct NegateKernel: UnaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { -x }
}

extension Tensor {
    /// Elementwise sum with broadcasting.
    ///
    /// ```swift
    /// let shifted = try x + bias     // [128, 10] + [10]
    /// ```
    public static func + (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        var result = try zip(lhs, rhs, AddKernel(), operation: "add")
        if recordsGradient(lhs, rhs) {
            let (leftShape, rightShape) = (lhs.shape, rhs.shape)
            let (needsLeft, needsRight) = (lhs.requiresGradient, rhs.requiresGradient)
            result.recordGradient("add", inputs: [lhs, rhs]) { gradient throws(TensorError) in
                [
                    needsLeft ? try gradient.summed(toShape: leftShape) : nil,
                    needsRight ? try gradient.summed(toShape: rightShape) : nil,
                ]
            }
        }
        return result
    }

    /// Elementwise difference with broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        var result = try zip(lhs, rhs, SubtractKernel(), operation: "subtract")
        if recordsGradient(lhs, rhs) {
            let (leftShape, rightShape) = (lhs.shape, rhs.shape)
            let (needsLeft, needsRight) = (lhs.requiresGradient, rhs.requiresGradient)
            result.recordGradient("subtract", inputs: [lhs, rhs]) { gradient throws(TensorError) in
                [
                    needsLeft ? try gradient.summed(toShape: leftShape) : nil,
                    needsRight ? try (-gradient).summed(toShape: rightShape) : nil,
                ]
            }
        }
        return result
    }

    /// Elementwise product with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        var result = try zip(lhs, rhs, MultiplyKernel(), operation: "multiply")
        if recordsGradient(lhs, rhs) {
            let (left, right) = (lhs.detached, rhs.detached)
            let (needsLeft, needsRight) = (lhs.requiresGradient, rhs.requiresGradient)
            result.recordGradient("multiply", inputs: [lhs, rhs]) { gradient throws(TensorError) in
                [
                    needsLeft ? try (gradient * right).summed(toShape: left.shape) : nil,
                    needsRight ? try (gradient * left).summed(toShape: right.shape) : nil,
                ]
            }
        }
        return result
    }

    /// Elementwise quotient with broadcasting (IEEE semantics: x / 0 is ±inf or NaN).
    public static func / (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        var result = try zip(lhs, rhs, DivideKernel(), operation: "divide")
        if recordsGradient(lhs, rhs) {
            let (left, right) = (lhs.detached, rhs.detached)
            let (needsLeft, needsRight) = (lhs.requiresGradient, rhs.requiresGradient)
            result.recordGradient("divide", inputs: [lhs, rhs]) { gradient throws(TensorError) in
                [
                    needsLeft ? try (gradient / right).summed(toShape: left.shape) : nil,
                    needsRight
                        ? try zip(
                            gradient, left, right, DivideRightBackwardKernel(),
                            operation: "divide backward"
                        ).summed(toShape: right.shape) : nil,
                ]
            }
        }
        return result
    }

    /// Elementwise negation.
    public static prefix func - (operand: Tensor) throws(TensorError) -> Tensor {
        var result = try map(operand, NegateKernel(), operation: "negate")
        if recordsGradient(operand) {
            result.recordGradient("negate", inputs: [operand]) { gradient throws(TensorError) in
                [try -gradient]
            }
        }
        return result
    }
}

// MARK: - Scalar operands

extension Tensor {
    /// Adds `rhs` to every element.
    public static func + (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs + Tensor(rhs)
    }

    /// Adds `lhs` to every element.
    public static func + (lhs: Float, rhs: Tensor) throws(TensorError) -> Tensor {
        try Tensor(lhs) + rhs
    }

    /// Subtracts `rhs` from every element.
    public static func - (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs - Tensor(rhs)
    }

    /// Subtracts every element from `lhs`.
    public static func - (lhs: Float, rhs: Tensor) throws(TensorError) -> Tensor {
        try Tensor(lhs) - rhs
    }

    /// Multiplies every element by `rhs`.
    public static func * (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs * Tensor(rhs)
    }

    /// Multiplies every element by `lhs`.
    public static func * (lhs: Float, rhs: Tensor) throws(TensorError) -> Tensor {
        try Tensor(lhs) * rhs
    }

    /// Divides every element by `rhs`.
    public static func / (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs / Tensor(rhs)
    }

    /// Divides `lhs` by every element.
    public static func / (lhs: Float, rhs: Tensor) throws(TensorError) -> Tensor {
        try Tensor(lhs) / rhs
    }
}

// MARK: - Compound assignment

extension Tensor {
    /// `lhs = lhs + rhs` (records a gradient like `+`; for optimizer updates use `addScaled`).
    public static func += (lhs: inout Tensor, rhs: Tensor) throws(TensorError) {
        lhs = try lhs + rhs
    }

    /// `lhs = lhs - rhs`.
    public static func -= (lhs: inout Tensor, rhs: Tensor) throws(TensorError) {
        lhs = try lhs - rhs
    }

    /// `lhs = lhs * rhs`.
    public static func *= (lhs: inout Tensor, rhs: Tensor) throws(TensorError) {
        lhs = try lhs * rhs
    }

    /// `lhs = lhs / rhs`.
    public static func /= (lhs: inout Tensor, rhs: Tensor) throws(TensorError) {
        lhs = try lhs / rhs
    }
}
