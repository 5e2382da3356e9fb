// Converting between element types.

extension Tensor {
    /// The values as another element type: integers convert exactly to Float32; Float32 rounds
    /// to the nearest integer and saturates at the type's bounds (NaN becomes 0).
    ///
    /// ```swift
    /// let batch = try pixels.converted(to: .float32) * (1 / 255)   // uint8 images to [0, 1]
    /// ```
    public func converted(to target: DType) throws(TensorError) -> Tensor {
        if target == dtype { return self }
        let result = try Tensor(uninitializedShape: shape, dtype: target, operation: "convert")
        switch (dtype, target) {
        case (.float32, .int32): convert(Float.self, into: result, Int32.self)
        case (.float32, .uint8): convert(Float.self, into: result, UInt8.self)
        case (.float32, .int8): convert(Float.self, into: result, Int8.self)
        case (.int32, .float32): convert(Int32.self, into: result, Float.self)
        case (.int32, .uint8): convert(Int32.self, into: result, UInt8.self)
        case (.int32, .int8): convert(Int32.self, into: result, Int8.self)
        case (.uint8, .float32): convert(UInt8.self, into: result, Float.self)
        case (.uint8, .int32): convert(UInt8.self, into: result, Int32.self)
        case (.uint8, .int8): convert(UInt8.self, into: result, Int8.self)
        case (.int8, .float32): convert(Int8.self, into: result, Float.self)
        case (.int8, .int32): convert(Int8.self, into: result, Int32.self)
        case (.int8, .uint8): convert(Int8.self, into: result, UInt8.self)
        default: Tensor.copyElements(from: self, to: result)
        }
        return result
    }

    /// Writes this tensor's elements, converted, into the contiguous `result`.
    private func convert<Source: TensorScalar, Target: TensorScalar>(
        _ source: Source.Type, into result: Tensor, _ target: Target.Type
    ) {
        let from = pointer(source)
        let to = result.pointer(target)
        let layout = ElementwiseLayout(shape: shape, strides: [result.strides, strides])
        let step = layout.innerStride(1)
        layout.run { offsets, count in
            let out = to + offsets[0]
            let input = from + offsets[1]
            for index in 0..<count {
                out[index] = Target(clamping: input[index &* step].floatValue)
            }
        }
    }
}
