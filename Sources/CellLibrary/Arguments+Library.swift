import Cell
import NN
import Tensor

/// Reading library arguments: tensors (from tensors, numbers or arrays), Float32 numbers,
/// shapes, axes and layers, with errors that name the parameter.
extension Arguments {
    /// Parameter `index` as a tensor (a Tensor, a number or nested arrays of numbers).
    func tensor(_ index: Int) throws -> Tensor {
        do {
            return try TensorConversion.tensor(from: self[index])
        } catch let error as CellError {
            if case .typeMismatch = error { throw mismatch(index, expected: "Tensor") }
            throw error
        }
    }

    /// Parameter `index` as a Float32 tensor (integer tensors are converted).
    func floatTensor(_ index: Int) throws -> Tensor {
        try TensorConversion.float(try tensor(index))
    }

    /// Parameter `index` as a tensor, or nil when it is `nil`.
    func optionalTensor(_ index: Int) throws -> Tensor? {
        self[index].isNil ? nil : try tensor(index)
    }

    /// Parameter `index` as a Float (from an Int or a Double).
    func float(_ index: Int) throws -> Float {
        Float(try double(index))
    }

    /// Parameter `index` as a Float, or nil when it is `nil`.
    func optionalFloat(_ index: Int) throws -> Float? {
        self[index].isNil ? nil : try float(index)
    }

    /// Parameter `index` as an Int, or nil when it is `nil`.
    func optionalInt(_ index: Int) throws -> Int? {
        self[index].isNil ? nil : try int(index)
    }

    /// Parameter `index` as a shape: an array of Int, or one Int for a vector's length.
    func shape(_ index: Int) throws -> [Int] {
        switch self[index] {
        case .int(let size): return [size]
        case .array: return try ints(index)
        case .tuple(let tuple):
            return try tuple.elements.map { element in
                guard case .int(let size) = element else {
                    throw mismatch(index, expected: "[Int]")
                }
                return size
            }
        default: throw mismatch(index, expected: "[Int]")
        }
    }

    /// Parameter `index` as a list of axes: nil (all axes), one Int or an array of Int.
    func axes(_ index: Int) throws -> [Int]? {
        switch self[index] {
        case .nilValue: return nil
        case .int(let axis): return [axis]
        default: return try ints(index)
        }
    }

    /// Parameter `index` as a height/width pair: one Int for both, or `(h, w)` / `[h, w]`.
    func size2D(_ index: Int) throws -> Size2D {
        let sizes = try shape(index)
        switch sizes.count {
        case 1: return Size2D(sizes[0])
        case 2: return Size2D(height: sizes[0], width: sizes[1])
        default: throw mismatch(index, expected: "Int or (height, width)")
        }
    }

    /// Parameter `index` as a layer: a library layer or a user struct conforming to `Layer`.
    func layer(_ index: Int) throws -> any Layer {
        guard let layer = try LayerValues.layer(from: self[index], session: session) else {
            throw mismatch(index, expected: "a Layer")
        }
        return layer
    }

    /// Parameter `index` as a UInt64 seed, or nil when it is `nil`.
    func optionalSeed(_ index: Int) throws -> UInt64? {
        guard let seed = try optionalInt(index) else { return nil }
        return UInt64(bitPattern: Int64(seed))
    }

    /// Wraps a tensor as a cell value.
    func wrap(tensor: Tensor) throws -> Value {
        try session.wrap(tensor)
    }
}
