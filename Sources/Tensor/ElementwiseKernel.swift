// The loops behind every elementwise op. A kernel is a tiny struct with a call operator; the
// generic loops below are specialized per kernel by the optimizer, and their innermost loops have
// unit-stride and broadcast (stride 0) fast paths that the compiler vectorizes.

/// A function of one Float, applied elementwise.
protocol UnaryFloatKernel {
    /// The value for one element.
    func callAsFunction(_ x: Float) -> Float
}

/// A function of two Floats, applied elementwise with broadcasting.
protocol BinaryFloatKernel {
    /// The value for one pair of elements.
    func callAsFunction(_ x: Float, _ y: Float) -> Float
}

/// A function of three Floats, applied elementwise with broadcasting.
protocol TernaryFloatKernel {
    /// The value for one triple of elements.
    func callAsFunction(_ x: Float, _ y: Float, _ z: Float) -> Float
}

extension Tensor {
    /// A new contiguous Float32 tensor with `kernel` applied to every element of `input`.
    static func map<Kernel: UnaryFloatKernel>(
        _ input: Tensor, _ kernel: Kernel, operation: String
    ) throws(TensorError) -> Tensor {
        try input.requireFloat(operation)
        let result = try Tensor(uninitializedShape: input.shape, dtype: .float32)
        let source = input.floats
        let target = result.floats
        let layout = ElementwiseLayout(
            shape: input.shape, strides: [result.strides, input.strides])
        let sourceStride = layout.innerStride(1)
        layout.run { offsets, count in
            let out = target + offsets[0]
            let x = source + offsets[1]
            if sourceStride == 1 {
                for index in 0..<count { out[index] = kernel(x[index]) }
            } else {
                for index in 0..<count { out[index] = kernel(x[index &* sourceStride]) }
            }
        }
        return result
    }

    /// A new contiguous Float32 tensor with `kernel` applied to broadcast pairs of elements.
    static func zip<Kernel: BinaryFloatKernel>(
        _ lhs: Tensor, _ rhs: Tensor, _ kernel: Kernel, operation: String
    ) throws(TensorError) -> Tensor {
        try lhs.requireFloat(operation)
        try rhs.requireFloat(operation)
        let shape = try broadcastShape(lhs.shape, rhs.shape, operation: operation)
        let result = try Tensor(uninitializedShape: shape, dtype: .float32)
        let left = lhs.floats
        let right = rhs.floats
        let target = result.floats
        let layout = ElementwiseLayout(
            shape: shape,
            strides: [
                result.strides, lhs.broadcastStrides(to: shape), rhs.broadcastStrides(to: shape),
            ]
        )
        let leftStride = layout.innerStride(1)
        let rightStride = layout.innerStride(2)
        layout.run { offsets, count in
            let out = target + offsets[0]
            let x = left + offsets[1]
            let y = right + offsets[2]
            switch (leftStride, rightStride) {
            case (1, 1):
                for index in 0..<count { out[index] = kernel(x[index], y[index]) }
            case (1, 0):
                let constant = y[0]
                for index in 0..<count { out[index] = kernel(x[index], constant) }
            case (0, 1):
                let constant = x[0]
                for index in 0..<count { out[index] = kernel(constant, y[index]) }
            default:
                for index in 0..<count {
                    out[index] = kernel(x[index &* leftStride], y[index &* rightStride])
                }
            }
        }
        return result
    }

    /// A new contiguous Float32 tensor with `kernel` applied to broadcast triples of elements.
    static func zip<Kernel: TernaryFloatKernel>(
        _ first: Tensor, _ second: Tensor, _ third: Tensor, _ kernel: Kernel, operation: String
    ) throws(TensorError) -> Tensor {
        try first.requireFloat(operation)
        try second.requireFloat(operation)
        try third.requireFloat(operation)
        let shape = try broadcastShape(
            broadcastShape(first.shape, second.shape, operation: operation), third.shape,
            operation: operation)
        let result = try Tensor(uninitializedShape: shape, dtype: .float32)
        let sources = (first.floats, second.floats, third.floats)
        let target = result.floats
        let layout = ElementwiseLayout(
            shape: shape,
            strides: [
                result.strides, first.broadcastStrides(to: shape),
                second.broadcastStrides(to: shape), third.broadcastStrides(to: shape),
            ])
        let steps = (layout.innerStride(1), layout.innerStride(2), layout.innerStride(3))
        layout.run { offsets, count in
            let out = target + offsets[0]
            let x = sources.0 + offsets[1]
            let y = sources.1 + offsets[2]
            let z = sources.2 + offsets[3]
            if steps == (1, 1, 1) {
                for index in 0..<count { out[index] = kernel(x[index], y[index], z[index]) }
            } else {
                for index in 0..<count {
                    out[index] = kernel(
                        x[index &* steps.0], y[index &* steps.1], z[index &* steps.2])
                }
            }
        }
        return result
    }

    /// Strides that read this tensor as if broadcast to `shape` (0 along broadcast dimensions).
    /// `shape` must be a valid broadcast of `self.shape`.
    func broadcastStrides(to shape: [Int]) -> [Int] {
        Tensor.broadcastStrides(shape: self.shape[...], strides: strides[...], to: shape)
    }

    /// Strides that read a layout of `shape` and `strides` as if broadcast to `target`.
    static func broadcastStrides(
        shape: ArraySlice<Int>, strides: ArraySlice<Int>, to target: [Int]
    ) -> [Int] {
        var result = [Int](repeating: 0, count: target.count)
        let shift = target.count - shape.count
        for (index, axis) in shape.indices.enumerated() where shape[axis] != 1 {
            result[index + shift] = strides[axis]
        }
        return result
    }
}
