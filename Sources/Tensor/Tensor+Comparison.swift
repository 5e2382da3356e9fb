// Elementwise comparisons (1 where true, 0 where false, as Float32 masks that multiply straight
// into other tensors), `where`, and the elementwise extrema `maximum`, `minimum`, `clamped`.

private struct LessKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x < y ? 1 : 0 }
}

private struct LessOrEqualKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x <= y ? 1 : 0 }
}

private struct EqualKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x == y ? 1 : 0 }
}

private struct NotEqualKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x != y ? 1 : 0 }
}

private struct SelectKernel: TernaryFloatKernel {
    @inline(__always) func callAsFunction(_ c: Float, _ x: Float, _ y: Float) -> Float {
        c != 0 ? x : y
    }
}

/// The share of the gradient that goes to x in max(x, y): all of it where x > y, half on ties.
private struct MaximumShareKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float {
        x > y ? 1 : (x == y ? 0.5 : 0)
    }
}

private struct MaximumKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x >= y ? x : y }
}

private struct ClampKernel: UnaryFloatKernel {
    let lower: Float
    let upper: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { min(max(x, lower), upper) }
}

/// g where lower ≤ x ≤ upper, 0 outside.
private struct ClampBackwardKernel: BinaryFloatKernel {
    let lower: Float
    let upper: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        x >= lower && x <= upper ? g : 0
    }
}

extension Tensor {
    /// 1 where `lhs < rhs`, 0 elsewhere (broadcasting; no gradient).
    public static func .< (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        try zip(lhs, rhs, LessKernel(), operation: "less")
    }

    /// 1 where `lhs <= rhs`, 0 elsewhere.
    public static func .<= (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        try zip(lhs, rhs, LessOrEqualKernel(), operation: "lessOrEqual")
    }

    /// 1 where `lhs > rhs`, 0 elsewhere.
    public static func .> (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        try zip(rhs, lhs, LessKernel(), operation: "greater")
    }

    /// 1 where `lhs >= rhs`, 0 elsewhere.
    public static func .>= (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        try zip(rhs, lhs, LessOrEqualKernel(), operation: "greaterOrEqual")
    }

    /// 1 where `lhs == rhs`, 0 elsewhere.
    ///
    /// ```swift
    /// let accuracy = try (predicted .== labels).mean()
    /// ```
    public static func .== (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        try zip(lhs, rhs, EqualKernel(), operation: "equal")
    }

    /// 1 where `lhs != rhs`, 0 elsewhere.
    public static func .!= (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
        try zip(lhs, rhs, NotEqualKernel(), operation: "notEqual")
    }

    /// 1 where an element is below `rhs`.
    public static func .< (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs .< Tensor(rhs)
    }

    /// 1 where an element is at most `rhs`.
    public static func .<= (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs .<= Tensor(rhs)
    }

    /// 1 where an element is above `rhs`.
    public static func .> (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs .> Tensor(rhs)
    }

    /// 1 where an element is at least `rhs`.
    public static func .>= (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs .>= Tensor(rhs)
    }

    /// 1 where an element equals `rhs`.
    public static func .== (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs .== Tensor(rhs)
    }

    /// 1 where an element differs from `rhs`.
    public static func .!= (lhs: Tensor, rhs: Float) throws(TensorError) -> Tensor {
        try lhs .!= Tensor(rhs)
    }
}

// MARK: - Selection and elementwise extrema

extension Tensor {
    /// Elements of `whenTrue` where `condition` is non-zero and of `whenFalse` elsewhere, all
    /// three broadcast together, like NumPy's `where`. Gradients flow to the chosen side.
    ///
    /// ```swift
    /// let clipped = try Tensor.where(x .> 1, Tensor(1), x)
    /// ```
    public static func `where`(_ condition: Tensor, _ whenTrue: Tensor, _ whenFalse: Tensor)
        throws(TensorError) -> Tensor
    {
        let mask = condition.dtype == .float32 ? condition : try condition.converted(to: .float32)
        var result = try zip(mask, whenTrue, whenFalse, SelectKernel(), operation: "where")
        if recordsGradient(whenTrue, whenFalse) {
            let (trueShape, falseShape) = (whenTrue.shape, whenFalse.shape)
            let (needsTrue, needsFalse) = (whenTrue.requiresGradient, whenFalse.requiresGradient)
            let savedMask = mask.detached
            result.recordGradient("where", inputs: [whenTrue, whenFalse]) {
                gradient throws(TensorError) in
                let zero = Tensor(0)
                return [
                    needsTrue
                        ? try zip(savedMask, gradient, zero, SelectKernel(), operation: "where")
                            .summed(toShape: trueShape) : nil,
                    needsFalse
                        ? try zip(savedMask, zero, gradient, SelectKernel(), operation: "where")
                            .summed(toShape: falseShape) : nil,
                ]
            }
        }
        return result
    }

    /// The larger of each pair of elements (broadcasting); on ties each side gets half the
    /// gradient, as in PyTorch.
    public func maximum(_ other: Tensor) throws(TensorError) -> Tensor {
        var result = try Tensor.zip(self, other, MaximumKernel(), operation: "maximum")
        if Tensor.recordsGradient(self, other) {
            let (left, right) = (detached, other.detached)
            let (needsLeft, needsRight) = (requiresGradient, other.requiresGradient)
            result.recordGradient("maximum", inputs: [self, other]) {
                gradient throws(TensorError) in
                [
                    needsLeft
                        ? try
                            (gradient
                            * Tensor.zip(left, right, MaximumShareKernel(), operation: "maximum"))
                            .summed(toShape: left.shape) : nil,
                    needsRight
                        ? try
                            (gradient
                            * Tensor.zip(right, left, MaximumShareKernel(), operation: "maximum"))
                            .summed(toShape: right.shape) : nil,
                ]
            }
        }
        return result
    }

    /// The smaller of each pair of elements (broadcasting); ties split the gradient.
    public func minimum(_ other: Tensor) throws(TensorError) -> Tensor {
        try -((-self).maximum(-other))
    }

    /// Each element limited to `lower...upper` (either bound may be omitted); the gradient
    /// passes where the element is within the bounds.
    ///
    /// ```swift
    /// let probabilities = try p.clamped(min: 1e-7, max: 1 - 1e-7)
    /// ```
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity)
        throws(TensorError) -> Tensor
    {
        guard !(lower > upper) else {
            throw .invalidArgument(operation: "clamped", message: "min \(lower) > max \(upper)")
        }
        return try unaryPrimitive(
            "clamp", ClampKernel(lower: lower, upper: upper),
            backward: ClampBackwardKernel(lower: lower, upper: upper))
    }
}
