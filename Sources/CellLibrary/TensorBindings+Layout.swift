import Cell
import Tensor

/// Shape changes: reshape, flatten, permute, transpose, expand, squeeze, broadcast.
extension TensorBindings {
    static func installLayout(_ type: TypeBuilder<Tensor>) {
        for label in [nil, "to"] as [String?] {
            let shape = Param<[Int]>(label: label, name: "shape", kind: shapeKind)
            type.method(
                "reshaped", parameters: [shape],
                returns: "Tensor",
                doc: """
                    The same elements in another shape (one size may be -1, inferred): \
                    `t.reshaped([2, -1])`, `t.reshaped(to: [6])`.
                    """
            ) { tensor, arguments in
                try arguments.wrap(tensor: tensor.reshaped(try arguments[shape]))
            }
        }
        let start = Param<Int>.labelled("from", default: 0)
        type.method(
            "flattened", parameters: [start],
            returns: "Tensor",
            doc: """
                Axes from `from` on merged into one: `t.flattened()` is a vector, \
                `images.flattened(from: 1)` keeps the batch axis.
                """
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.flattened(from: try arguments[start]))
        }
        let axes = Param<[Value]>.variadic("axes")
        type.method(
            "permuted", parameters: [axes], returns: "Tensor",
            doc: "The axes in a new order: `t.permuted(0, 2, 1)` or `t.permuted([0, 2, 1])`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.permuted(try axisList(arguments, axes)))
        }
        type.method(
            "transposed", returns: "Tensor",
            doc: "The axes in reverse order (the matrix transpose for rank 2): `w.transposed()`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.transposed())
        }
        let first = Param<Int>.positional("first")
        let second = Param<Int>.positional("second")
        type.method(
            "transposed", parameters: [first, second], returns: "Tensor",
            doc: "Two axes swapped: `t.transposed(1, 2)`."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: tensor.transposed(try arguments[first], try arguments[second]))
        }
        let position = Param<Int>.labelled("at")
        type.method(
            "expandingShape", parameters: [position], returns: "Tensor",
            doc: "A new axis of size 1 at a position: `v.expandingShape(at: 0)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.expandingShape(at: try arguments[position]))
        }
        let alongAxes = Param<[Int]?>.labelled("alongAxes", as: .axes, default: .nilValue)
        type.method(
            "squeezed", parameters: [alongAxes],
            returns: "Tensor", doc: "Axes of size 1 removed (all, or the given ones)."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.squeezed(alongAxes: try arguments[alongAxes]))
        }
        let target = Param<[Int]>.labelled("to", as: shapeKind)
        type.method(
            "broadcast", parameters: [target], returns: "Tensor",
            doc: "The tensor repeated along axes of size 1 to a larger shape."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.broadcast(to: try arguments[target]))
        }
        type.method(
            "contiguous", returns: "Tensor",
            doc: "The elements densely in row-major order (a copy only when needed)."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.contiguous())
        }
    }

    /// The axes of `permuted`: several Ints, or one array.
    private static func axisList(_ arguments: Arguments, _ axes: Param<[Value]>) throws -> [Int] {
        let values = try arguments[axes]
        if values.count == 1, case .array(let inner) = values[0] {
            return try inner.map { value in
                guard case .int(let axis) = value else {
                    throw arguments.mismatch(axes, expected: "Int")
                }
                return axis
            }
        }
        return try values.map { value in
            guard case .int(let axis) = value else {
                throw arguments.mismatch(axes, expected: "Int")
            }
            return axis
        }
    }

    static func installLayoutFunctions(into registry: Registry) {
        let x = Param<Tensor>.positional("x")
        let shape = Param<[Int]>.positional("shape", as: shapeKind)
        registry.function(
            "reshaped", module: module, doc: "`x` in another shape: `reshaped(t, [2, -1])`.",
            parameters: [x, shape], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: arguments[x].reshaped(try arguments[shape]))
        }
    }
}
