import Cell
import Tensor

/// Turns cell values into tensors and tensors back into cell values: nested arrays of numbers
/// (`Tensor([[1, 2], [3, 4]])`), numbers (a scalar tensor), Int ranges and arrays of tensors (which
/// stack), and, the other way, flat or nested arrays of Double (Int for integer tensors).
enum TensorConversion {
    /// The deepest nesting of arrays accepted as a tensor.
    static let maximumRank = 32

    /// `value` as a tensor: a tensor as it is, a number as a scalar, nested arrays of numbers
    /// (rectangular) as a tensor of their shape, an array of equally shaped tensors stacked, an
    /// Int range as a vector. `dtype` converts the result; Float32 otherwise.
    ///
    /// - Throws: `CellError.typeMismatch` for values that are not numbers, `invalidValue` for
    ///   ragged arrays.
    static func tensor(from value: Value, dtype: DType? = nil) throws -> Tensor {
        let made: Tensor
        switch value {
        case .host(let object):
            guard let tensor = object.payload as? Tensor else {
                throw CellError.typeMismatch(
                    "expected a Tensor or an array of numbers, not \(value.typeName)")
            }
            made = tensor
        case .int(let integer): made = Tensor(Float(integer))
        case .double(let number): made = Tensor(Float(number))
        case .bool(let flag): made = Tensor(flag ? 1 : 0)
        case .range(let range):
            guard let bounds = range.intBounds else {
                throw CellError.invalidValue(
                    "only a range of Int with both bounds, such as 0..<10, becomes a tensor")
            }
            made = try Tensor(bounds.map { Float($0) })
        case .array(let elements):
            if let first = elements.first, case .host = first {
                var tensors: [Tensor] = []
                for element in elements { tensors.append(try tensor(from: element)) }
                made = try Tensor.stack(tensors, alongAxis: 0)
            } else {
                var scalars: [Float] = []
                let shape = try collect(value, depth: 0, into: &scalars)
                made = try Tensor(scalars, shape: shape)
            }
        default:
            throw CellError.typeMismatch(
                "expected a Tensor, a number or an array of numbers, not \(value.typeName)")
        }
        guard let dtype, dtype != made.dtype else { return made }
        return try made.converted(to: dtype)
    }

    /// Appends the numbers of a nested array to `scalars` and returns its shape.
    private static func collect(_ value: Value, depth: Int, into scalars: inout [Float]) throws
        -> [Int]
    {
        switch value {
        case .int(let integer):
            scalars.append(Float(integer))
            return []
        case .double(let number):
            scalars.append(Float(number))
            return []
        case .bool(let flag):
            scalars.append(flag ? 1 : 0)
            return []
        case .array(let elements):
            guard depth < maximumRank else {
                throw CellError.invalidValue(
                    "arrays nested more than \(maximumRank) deep cannot become a tensor")
            }
            var inner: [Int]?
            for element in elements {
                let shape = try collect(element, depth: depth + 1, into: &scalars)
                if let inner, inner != shape {
                    throw CellError.invalidValue(
                        "the array is ragged: elements of shape \(inner) and \(shape) cannot "
                            + "form one tensor")
                }
                inner = shape
            }
            return [elements.count] + (inner ?? [])
        default:
            throw CellError.typeMismatch(
                "a tensor holds numbers; found a value of type \(value.typeName) in the array")
        }
    }

    /// The elements of `tensor` in row-major order: Int for integer tensors, Double for Float32.
    static func flatValues(of tensor: Tensor) -> [Value] {
        let scalars = tensor.scalars
        if tensor.dtype == .float32 { return scalars.map { .float32($0) } }
        return scalars.map { .int(Int($0)) }
    }

    /// The elements of `tensor` as nested arrays of its shape (a number for a scalar).
    static func nestedValue(of tensor: Tensor) -> Value {
        let flat = flatValues(of: tensor)
        guard tensor.rank > 0 else { return flat.first ?? .void }
        var position = 0
        func build(axis: Int) -> Value {
            if axis == tensor.rank - 1 {
                let size = tensor.shape[axis]
                defer { position += size }
                return .array(Array(flat[position..<(position + size)]))
            }
            return .array((0..<tensor.shape[axis]).map { _ in build(axis: axis + 1) })
        }
        return build(axis: 0)
    }

    /// The single element of `tensor` as a Double.
    static func scalar(of tensor: Tensor) throws -> Double {
        try tensor.scalarized().shortestDecimal
    }

    /// `tensor` as Float32, converting integer tensors (for arithmetic and comparisons).
    static func float(_ tensor: Tensor) throws -> Tensor {
        tensor.dtype == .float32 ? tensor : try tensor.converted(to: .float32)
    }
}
