import Cell
import Tensor

/// Shape changes: reshape, flatten, permute, transpose, expand, squeeze, broadcast.
extension TensorBindings {
    static func installLayout(_ type: TypeBuilder<Tensor>) {
        for label in [nil, "to"] as [String?] {
            type.method(
                "reshaped",
                parameters: [Parameter(label: label, name: "shape", type: "[Int]")],
                returns: "Tensor",
                doc: """
                    The same elements in another shape (one size may be -1, inferred): \
                    `t.reshaped([2, -1])`, `t.reshaped(to: [6])`.
                    """
            ) { tensor, arguments in
                try arguments.wrap(tensor: tensor.reshaped(try arguments.shape(0)))
            }
        }
        type.method(
            "flattened", parameters: [.labelled("from", type: "Int", default: .int(0))],
            returns: "Tensor",
            doc: """
                Axes from `from` on merged into one: `t.flattened()` is a vector, \
                `images.flattened(from: 1)` keeps the batch axis.
                """
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.flattened(from: try arguments.int(0)))
        }
        type.method(
            "permuted", parameters: [.variadic("axes")], returns: "Tensor",
            doc: "The axes in a new order: `t.permuted(0, 2, 1)` or `t.permuted([0, 2, 1])`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.permuted(try axisList(arguments)))
        }
        type.method(
            "transposed", returns: "Tensor",
            doc: "The axes in reverse order (the matrix transpose for rank 2): `w.transposed()`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.transposed())
        }
        type.method(
            "transposed",
            parameters: [.positional("first", type: "Int"), .positional("second", type: "Int")],
            returns: "Tensor", doc: "Two axes swapped: `t.transposed(1, 2)`."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: tensor.transposed(try arguments.int(0), try arguments.int(1)))
        }
        type.method(
            "expandingShape", parameters: [.labelled("at", type: "Int")], returns: "Tensor",
            doc: "A new axis of size 1 at a position: `v.expandingShape(at: 0)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.expandingShape(at: try arguments.int(0)))
        }
        type.method(
            "squeezed", parameters: [.labelled("alongAxes", default: .nilValue)],
            returns: "Tensor", doc: "Axes of size 1 removed (all, or the given ones)."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.squeezed(alongAxes: try arguments.axes(0)))
        }
        type.method(
            "broadcast", parameters: [.labelled("to", type: "[Int]")], returns: "Tensor",
            doc: "The tensor repeated along axes of size 1 to a larger shape."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.broadcast(to: try arguments.shape(0)))
        }
        type.method(
            "contiguous", returns: "Tensor",
            doc: "The elements densely in row-major order (a copy only when needed)."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.contiguous())
        }
    }

    /// The axes of `permuted`: several Ints, or one array.
    private static func axisList(_ arguments: Arguments) throws -> [Int] {
        let values = try arguments.array(0)
        if values.count == 1, case .array(let inner) = values[0] {
            return try inner.map { value in
                guard case .int(let axis) = value else {
                    throw arguments.mismatch(0, expected: "Int")
                }
                return axis
            }
        }
        return try values.map { value in
            guard case .int(let axis) = value else { throw arguments.mismatch(0, expected: "Int") }
            return axis
        }
    }

    static func installLayoutFunctions(into registry: Registry) {
        registry.function(
            "reshaped", module: module, doc: "`x` in another shape: `reshaped(t, [2, -1])`.",
            parameters: [.positional("x", type: "Tensor"), .positional("shape", type: "[Int]")],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: arguments.tensor(0).reshaped(try arguments.shape(1)))
        }
    }
}
