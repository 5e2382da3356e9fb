// Fused in-place updates for optimizers: each is one pass over the parameter (or optimizer
// state) with no temporary tensor and no tape, so an Adam step over a model costs three passes
// and no allocation:
//
//     m.lerp(toward: g, weight: 1 − β₁)                   // m ← β₁m + (1 − β₁)g
//     v.lerpSquared(toward: g, weight: 1 − β₂)            // v ← β₂v + (1 − β₂)g²
//     w.addScaledQuotient(m, overRootOf: v, by: −lr·c, epsilon: ε·√c₂)

extension Tensor {
    /// `self += weight × (other − self)` in place: an exponential moving average when
    /// `weight` is 1 − decay. `other` broadcasts to this shape.
    public mutating func lerp(toward other: Tensor, weight: Float) throws(TensorError) {
        try prepareUpdate(with: [other], operation: "lerp")
        updateInPlace(with: other, LerpKernel(weight: weight))
    }

    /// `self += weight × (other² − self)` in place: the moving average of squares in Adam and
    /// RMSProp.
    public mutating func lerpSquared(toward other: Tensor, weight: Float) throws(TensorError) {
        try prepareUpdate(with: [other], operation: "lerpSquared")
        updateInPlace(with: other, LerpSquaredKernel(weight: weight))
    }

    /// `self += scale × numerator / (√denominator + epsilon)` in place: the Adam, RMSProp and
    /// Adagrad parameter step.
    public mutating func addScaledQuotient(
        _ numerator: Tensor, overRootOf denominator: Tensor, by scale: Float, epsilon: Float
    ) throws(TensorError) {
        try prepareUpdate(with: [numerator, denominator], operation: "addScaledQuotient")
        updateInPlace(
            with: numerator, denominator, ScaledQuotientKernel(scale: scale, epsilon: epsilon))
    }

    /// One Adam step in a single pass over the parameter (`self`), its gradient and both
    /// moments, with the same arithmetic as `lerp`, `lerpSquared` and `addScaledQuotient` in
    /// turn (so the result is bit for bit the same) but each element read and written once:
    ///
    /// ```text
    /// m ← m + w₁·(g − m);  v ← v + w₂·(g² − v);  p ← p + scale·m / (√v + ε)
    /// ```
    ///
    /// A gradient that only broadcasts to the parameter's shape takes the three separate passes.
    ///
    /// - Parameters:
    ///   - gradient: g, the parameter's shape (or broadcasting to it).
    ///   - firstMoment: m, the parameter's shape, updated in place.
    ///   - secondMoment: v, the parameter's shape, updated in place.
    ///   - firstWeight: w₁ = 1 − β₁.
    ///   - secondWeight: w₂ = 1 − β₂.
    ///   - scale: The step's signed scale (−η with the bias corrections folded in).
    ///   - epsilon: ε (with the bias correction folded in).
    ///
    /// ```swift
    /// try w.addAdamStep(
    ///     gradient: g, firstMoment: &m, secondMoment: &v, firstWeight: 0.1,
    ///     secondWeight: 0.001, scale: -1e-3, epsilon: 1e-8)
    /// ```
    public mutating func addAdamStep(
        gradient: Tensor, firstMoment: inout Tensor, secondMoment: inout Tensor,
        firstWeight: Float, secondWeight: Float, scale: Float, epsilon: Float
    ) throws(TensorError) {
        try prepareUpdate(with: [gradient], operation: "addAdamStep")
        for moment in [firstMoment, secondMoment] where moment.shape != shape {
            throw .shapeMismatch(
                operation: "addAdamStep", shapes: [shape, moment.shape],
                detail: "the moments must have the parameter's shape")
        }
        try firstMoment.prepareUpdate(with: [], operation: "addAdamStep")
        try secondMoment.prepareUpdate(with: [], operation: "addAdamStep")
        guard gradient.shape == shape, gradient.isContiguous else {
            firstMoment.updateInPlace(with: gradient, LerpKernel(weight: firstWeight))
            secondMoment.updateInPlace(with: gradient, LerpSquaredKernel(weight: secondWeight))
            updateInPlace(
                with: firstMoment, secondMoment,
                ScaledQuotientKernel(scale: scale, epsilon: epsilon))
            return
        }
        let pointers = (floats, gradient.floats, firstMoment.floats, secondMoment.floats)
        withExtendedLifetime((gradient, firstMoment, secondMoment)) {
            Parallelism.forEachChunk(count: elementCount, costPerItem: 1) { range in
                let (p, g, m, v) = pointers
                let start = range.lowerBound
                VectorKernels.adamStep(
                    parameter: p + start, gradient: g + start, firstMoment: m + start,
                    secondMoment: v + start, count: range.count, firstWeight: firstWeight,
                    secondWeight: secondWeight, scale: scale, epsilon: epsilon)
            }
        }
    }

    /// `self += scale × a × b` in place (for example the sum of squared gradients in Adagrad,
    /// with `a` and `b` both the gradient).
    public mutating func addScaledProduct(_ a: Tensor, _ b: Tensor, by scale: Float)
        throws(TensorError)
    {
        try prepareUpdate(with: [a, b], operation: "addScaledProduct")
        updateInPlace(with: a, b, ScaledProductKernel(scale: scale))
    }

    /// `self += scale × sign(other)` in place (the Lion step; sign(0) = 0).
    public mutating func addScaledSign(of other: Tensor, by scale: Float) throws(TensorError) {
        try prepareUpdate(with: [other], operation: "addScaledSign")
        updateInPlace(with: other, ScaledSignKernel(scale: scale))
    }

    /// `self += scale × sign(from + weight × (toward − from))` in place: the Lion step, whose
    /// direction is the sign of an interpolation between the momentum and the gradient,
    /// computed without a temporary (sign(0) = 0).
    ///
    /// ```swift
    /// try w.addScaledSign(ofLerpFrom: m, toward: g, weight: 1 - beta1, by: -learningRate)
    /// ```
    public mutating func addScaledSign(
        ofLerpFrom from: Tensor, toward: Tensor, weight: Float, by scale: Float
    ) throws(TensorError) {
        try prepareUpdate(with: [from, toward], operation: "addScaledSign")
        updateInPlace(with: from, toward, ScaledLerpSignKernel(weight: weight, scale: scale))
    }

    /// `self ×= √(numerator + epsilon) / √(denominator + epsilon)` in place: Adadelta's
    /// rescaling of the gradient by the ratio of the update and gradient RMS.
    ///
    /// ```swift
    /// try delta.assign(g)
    /// try delta.multiplyByRootRatio(of: accumulatedDelta, over: squareAverage, epsilon: 1e-6)
    /// ```
    public mutating func multiplyByRootRatio(
        of numerator: Tensor, over denominator: Tensor, epsilon: Float
    ) throws(TensorError) {
        try prepareUpdate(with: [numerator, denominator], operation: "multiplyByRootRatio")
        updateInPlace(with: numerator, denominator, RootRatioKernel(epsilon: epsilon))
    }

    /// `self = max(self, other)` elementwise in place (AMSGrad's running maximum).
    public mutating func formMaximum(with other: Tensor) throws(TensorError) {
        try prepareUpdate(with: [other], operation: "formMaximum")
        updateInPlace(with: other, InPlaceMaximumKernel())
    }

    /// Limits every element to `lower...upper` in place (gradient clipping by value).
    public mutating func formClamped(min lower: Float, max upper: Float) throws(TensorError) {
        guard !(lower > upper) else {
            throw .invalidArgument(operation: "formClamped", message: "min \(lower) > max \(upper)")
        }
        try prepareUpdate(with: [], operation: "formClamped")
        updateInPlace(with: Tensor(0), ClampInPlaceKernel(lower: lower, upper: upper))
    }

    /// Checks dtypes and shapes for an in-place update and makes the storage writable.
    private mutating func prepareUpdate(with operands: [Tensor], operation: String)
        throws(TensorError)
    {
        try requireFloat(operation)
        for operand in operands {
            try operand.requireFloat(operation)
            try checkBroadcastable(operand, operation: operation)
        }
        try makeUniqueAndContiguous()
    }
}

// MARK: - Kernels: (current value, operands…) → new value

struct AddScaledKernel: BinaryFloatKernel {
    let scale: Float
    @inline(__always) func callAsFunction(_ x: Float, _ a: Float) -> Float { x + scale * a }
}

private struct LerpKernel: BinaryFloatKernel {
    let weight: Float
    @inline(__always) func callAsFunction(_ x: Float, _ a: Float) -> Float {
        x + weight * (a - x)
    }
}

private struct LerpSquaredKernel: BinaryFloatKernel {
    let weight: Float
    @inline(__always) func callAsFunction(_ x: Float, _ a: Float) -> Float {
        x + weight * (a * a - x)
    }
}

private struct ScaledQuotientKernel: TernaryFloatKernel {
    let scale: Float
    let epsilon: Float
    @inline(__always) func callAsFunction(_ x: Float, _ n: Float, _ d: Float) -> Float {
        x + scale * n / (d.squareRoot() + epsilon)
    }
}

private struct ScaledProductKernel: TernaryFloatKernel {
    let scale: Float
    @inline(__always) func callAsFunction(_ x: Float, _ a: Float, _ b: Float) -> Float {
        x + scale * a * b
    }
}

private struct ScaledSignKernel: BinaryFloatKernel {
    let scale: Float
    @inline(__always) func callAsFunction(_ x: Float, _ a: Float) -> Float {
        x + (a > 0 ? scale : (a < 0 ? -scale : 0))
    }
}

private struct ScaledLerpSignKernel: TernaryFloatKernel {
    let weight: Float
    let scale: Float
    @inline(__always) func callAsFunction(_ x: Float, _ from: Float, _ toward: Float) -> Float {
        let direction = from + weight * (toward - from)
        return x + (direction > 0 ? scale : (direction < 0 ? -scale : 0))
    }
}

private struct RootRatioKernel: TernaryFloatKernel {
    let epsilon: Float
    @inline(__always) func callAsFunction(_ x: Float, _ n: Float, _ d: Float) -> Float {
        x * ((n + epsilon).squareRoot() / (d + epsilon).squareRoot())
    }
}

private struct InPlaceMaximumKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ a: Float) -> Float { Swift.max(x, a) }
}

private struct ClampInPlaceKernel: BinaryFloatKernel {
    let lower: Float
    let upper: Float
    @inline(__always) func callAsFunction(_ x: Float, _ unused: Float) -> Float {
        Swift.min(Swift.max(x, lower), upper)
    }
}
