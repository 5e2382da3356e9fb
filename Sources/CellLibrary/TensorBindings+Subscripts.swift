import Cell
import Tensor

/// Tensor subscripts as NumPy users write them, in Swift syntax: `t[0]`, `t[1..<3, 2]`,
/// `t[..., 0]` (an ellipsis), `t[nil, 0]` (a new axis, NumPy's `None`), `t[-1]`, `t[2...]`,
/// `t[stride(from: 0, to: 10, by: 2)]`, `t[indices]` (an Int tensor or array gathers). Reading
/// makes a view; assigning writes in place: `t[0, ...] = Tensor(0)`.
extension TensorBindings {
    static func installSubscripts(_ type: TypeBuilder<Tensor>) {
        let indices = Param<[Value]>.variadic("indices")
        type.subscript(
            parameters: [indices], returns: "Tensor",
            doc: """
                Part of the tensor: `t[0]`, `t[1..<3, 2]`, `t[..., 0]`, `t[nil]` (new axis), \
                `t[indices]` (gather by an Int tensor or array).
                """,
            get: { tensor, arguments in
                try arguments.wrap(tensor: tensor.slice(try arguments[indices].map(index(from:))))
            },
            set: { tensor, arguments, newValue in
                var value = try TensorConversion.tensor(from: newValue)
                if value.dtype != tensor.dtype { value = try value.converted(to: tensor.dtype) }
                try tensor.update(at: try arguments[indices].map(index(from:)), with: value)
            })
    }

    /// One subscript argument as a tensor index.
    static func index(from value: Value) throws -> TensorIndex {
        switch value {
        case .int(let position):
            return .index(position)
        case .nilValue:
            return .newAxis
        case .function(let function as OperatorFunction) where function.op == "...":
            return .ellipsis
        case .range(let range):
            return try index(from: range)
        case .host, .array:
            let positions = try TensorConversion.tensor(from: value, dtype: .int32)
            return .indices(positions)
        default:
            throw CellError.typeMismatch(
                "a tensor cannot be indexed by a value of type \(value.typeName); use an Int, a "
                    + "range, '...', nil (a new axis) or an Int tensor")
        }
    }

    private static func index(from range: RangeValue) throws -> TensorIndex {
        func bound(_ value: Value?) throws -> Int? {
            guard let value else { return nil }
            guard case .int(let integer) = value else {
                throw CellError.typeMismatch("tensor index ranges need Int bounds")
            }
            return integer
        }
        let lower = try bound(range.lower)
        var upper = try bound(range.upper)
        var step = 1
        if let stepValue = range.step {
            guard case .int(let integer) = stepValue, integer != 0 else {
                throw CellError.invalidValue("a tensor index stride needs a non-zero Int step")
            }
            step = integer
        }
        if range.isClosed, let last = upper {
            // `a...b` includes b: the exclusive end is one step further, or the axis end when
            // that would be past the last (or, stepping back, the first) element.
            if step > 0 {
                upper = last == -1 ? nil : last.addingReportingOverflow(1).partialValue
            } else {
                upper = last == 0 ? nil : last.subtractingReportingOverflow(1).partialValue
            }
        }
        return .range(lower, upper, step: step)
    }
}
