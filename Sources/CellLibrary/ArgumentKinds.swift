import Cell
import NN
import Tensor

/// The library's readings of arguments that are a choice rather than a type: tensors from
/// tensors, numbers or nested arrays; shapes, axes and sizes from one Int or several; layers
/// from library layers or user structs; optimizers; seeds.
///
/// ```swift
/// let x = Param<Tensor>.positional("x", as: .floatTensor)
/// let shape = Param<[Int]>.labelled("shape", as: .shape)
/// ```
extension ArgumentKind where T == Tensor {
    /// A tensor, a number or nested arrays of numbers, as a tensor (untyped in signatures).
    static var tensor: ArgumentKind {
        ArgumentKind(type: nil, expected: "Tensor") { value, _ in
            do {
                return try TensorConversion.tensor(from: value)
            } catch let error as CellError {
                if case .typeMismatch = error { return nil }
                throw error
            }
        }
    }

    /// As `tensor`, with integer tensors converted to Float32.
    static var floatTensor: ArgumentKind {
        let tensor = ArgumentKind.tensor.read
        return ArgumentKind(type: nil, expected: "Tensor") { value, session in
            try tensor(value, session).map { try TensorConversion.float($0) }
        }
    }
}

extension ArgumentKind where T == [Int] {
    /// A shape: an array or tuple of Int, or one Int for a vector's length.
    static var shape: ArgumentKind {
        ArgumentKind(type: nil, expected: "[Int]") { value, _ in
            switch value {
            case .int(let size): return [size]
            case .array(let elements): return integers(elements)
            case .tuple(let tuple): return integers(tuple.elements)
            default: return nil
            }
        }
    }

    private static func integers(_ values: [Value]) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard case .int(let integer) = value else { return nil }
            result.append(integer)
        }
        return result
    }
}

extension ArgumentKind where T == [Int]? {
    /// Axes: nil for all axes, one Int, or an array of Int.
    static var axes: ArgumentKind {
        ArgumentKind(type: nil, expected: "[Int]") { value, _ in
            switch value {
            case .nilValue: return .some(nil)
            case .int(let axis): return [axis]
            case .array(let elements):
                var result: [Int] = []
                for element in elements {
                    guard case .int(let axis) = element else { return nil }
                    result.append(axis)
                }
                return result
            default: return nil
            }
        }
    }
}

extension ArgumentKind where T == Size2D {
    /// A height/width pair: one Int for both, or `(h, w)` / `[h, w]`.
    static var size2D: ArgumentKind {
        let shape = ArgumentKind<[Int]>.shape.read
        return ArgumentKind(type: nil, expected: "Int or (height, width)") { value, session in
            guard let sizes = try shape(value, session) else { return nil }
            switch sizes.count {
            case 1: return Size2D(sizes[0])
            case 2: return Size2D(height: sizes[0], width: sizes[1])
            default: return nil
            }
        }
    }
}

extension ArgumentKind where T == any Layer {
    /// A library layer or a user struct conforming to `Layer`.
    static var layer: ArgumentKind {
        ArgumentKind(type: nil, expected: "a Layer") { value, session in
            try LayerValues.layer(from: value, session: session)
        }
    }
}

extension ArgumentKind where T == any Optimizer {
    /// A library optimizer (`Adam(learningRate: 1e-3)`).
    static var optimizer: ArgumentKind {
        ArgumentKind(type: nil, expected: "an optimizer such as Adam(learningRate: 1e-3)") {
            value, _ in value.hostPayload(as: (any Optimizer).self)
        }
    }
}

extension ArgumentKind where T == UInt64? {
    /// A seed: an Int (its bit pattern), or nil.
    static var seed: ArgumentKind {
        Int?.argumentKind.mapped { integer in integer.map { UInt64(bitPattern: Int64($0)) } }
    }
}
