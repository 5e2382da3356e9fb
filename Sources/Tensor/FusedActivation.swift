// The activations `Tensor.linear` and `conv2d` can fuse into their output. Each one's derivative
// is a function of its output alone, so the forward applies it in place on the sgemm result and
// the backward needs only that output: one tensor and one gradient node per layer instead of
// three.

/// An activation applied in place to the output of `Tensor.linear(_:weight:bias:activation:)`
/// or `conv2d(weight:bias:stride:padding:dilation:activation:)`.
///
/// Only activations whose derivative can be read off their output are here (ReLU, leaky ReLU
/// with a positive slope, tanh, sigmoid); apply any other after an `.identity` linear.
///
/// ```swift
/// let hidden = try Tensor.linear(x, weight: w, bias: b, activation: .relu)
/// ```
public enum FusedActivation: Sendable, Hashable {
    /// No activation: the affine map x·Wᵀ + b.
    case identity
    /// max(x, 0).
    case relu
    /// x for x > 0, slope·x otherwise; the slope must be positive (so the sign of the output
    /// tells the branch).
    case leakyRelu(slope: Float)
    /// The hyperbolic tangent; its derivative is 1 − y².
    case tanh
    /// The logistic function; its derivative is y·(1 − y).
    case sigmoid

    /// Throws unless the activation can be fused (a leaky ReLU needs a positive slope).
    func validate(_ operation: String) throws(TensorError) {
        if case .leakyRelu(let slope) = self, !(slope > 0) {
            throw .invalidArgument(
                operation: operation,
                message: "a fused leaky ReLU needs a positive slope, got \(slope)")
        }
    }

    /// Applies the activation to every element of the contiguous Float32 `tensor` in place.
    func apply(inPlace tensor: Tensor) {
        switch self {
        case .identity: return
        case .relu:
            let values = tensor.floats
            Parallelism.forEachChunk(count: tensor.elementCount, costPerItem: 1) { range in
                VectorKernels.reluInPlace(values + range.lowerBound, count: range.count)
            }
        case .leakyRelu(let slope):
            tensor.updateInPlace(with: tensor, FusedLeakyReluKernel(slope: slope))
        case .tanh: tensor.updateInPlace(with: tensor, FusedTanhKernel())
        case .sigmoid: tensor.updateInPlace(with: tensor, FusedSigmoidKernel())
        }
    }

    /// Applies the activation to `count` floats at `values` in place (a block still in cache,
    /// such as one image's convolution output).
    func apply(inPlace values: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: return
        case .relu: VectorKernels.reluInPlace(values, count: count)
        case .leakyRelu(let slope):
            let kernel = FusedLeakyReluKernel(slope: slope)
            for index in 0..<count { values[index] = kernel(values[index], 0) }
        case .tanh:
            for index in 0..<count { values[index] = TanhKernel()(values[index]) }
        case .sigmoid:
            for index in 0..<count { values[index] = SigmoidKernel()(values[index]) }
        }
    }

    /// Writes `count` elements of the gradient with respect to the activation's input into
    /// `target`: `gradient` (with respect to its output) times the derivative read off
    /// `output` (not read for `.identity`).
    func backward(
        _ gradient: UnsafePointer<Float>, output: UnsafePointer<Float>,
        into target: UnsafeMutablePointer<Float>, count: Int
    ) {
        switch self {
        case .identity: FloatRun.copy(from: gradient, to: target, count: count)
        case .relu:
            VectorKernels.reluBackward(
                gradient: gradient, output: output, into: target, count: count)
        case .leakyRelu(let slope):
            let kernel = LeakyReluOutputBackwardKernel(slope: slope)
            for index in 0..<count { target[index] = kernel(gradient[index], output[index]) }
        case .tanh:
            let kernel = TanhOutputBackwardKernel()
            for index in 0..<count { target[index] = kernel(gradient[index], output[index]) }
        case .sigmoid:
            let kernel = SigmoidOutputBackwardKernel()
            for index in 0..<count { target[index] = kernel(gradient[index], output[index]) }
        }
    }

    /// The gradient with respect to the activation's input, given the gradient with respect to
    /// its `output`.
    func backward(_ gradient: Tensor, output: Tensor) throws(TensorError) -> Tensor {
        switch self {
        case .identity: return gradient
        case .relu:
            guard gradient.shape == output.shape, gradient.isContiguous, output.isContiguous,
                gradient.dtype == .float32, output.dtype == .float32
            else {
                return try Tensor.zip(
                    gradient, output, ReluBackwardKernel(), operation: "activation backward")
            }
            let result = try Tensor(uninitializedShape: output.shape, dtype: .float32)
            let (g, y, target) = (gradient.floats, output.floats, result.floats)
            withExtendedLifetime((gradient, output)) {
                Parallelism.forEachChunk(count: result.elementCount, costPerItem: 1) { range in
                    let start = range.lowerBound
                    VectorKernels.reluBackward(
                        gradient: g + start, output: y + start, into: target + start,
                        count: range.count)
                }
            }
            return result
        case .leakyRelu(let slope):
            return try Tensor.zip(
                gradient, output, LeakyReluOutputBackwardKernel(slope: slope),
                operation: "activation backward")
        case .tanh:
            return try Tensor.zip(
                gradient, output, TanhOutputBackwardKernel(), operation: "activation backward")
        case .sigmoid:
            return try Tensor.zip(
                gradient, output, SigmoidOutputBackwardKernel(), operation: "activation backward")
        }
    }
}

// MARK: - Kernels (in place: the second operand is the tensor itself and is ignored)

private struct FusedLeakyReluKernel: BinaryFloatKernel {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Float, _ unused: Float) -> Float {
        x > 0 ? x : slope * x
    }
}

private struct FusedTanhKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ unused: Float) -> Float {
        TanhKernel()(x)
    }
}

private struct FusedSigmoidKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ x: Float, _ unused: Float) -> Float {
        SigmoidKernel()(x)
    }
}

private struct LeakyReluOutputBackwardKernel: BinaryFloatKernel {
    let slope: Float
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float {
        y > 0 ? g : slope * g
    }
}

private struct TanhOutputBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}

private struct SigmoidOutputBackwardKernel: BinaryFloatKernel {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
}
