import Cell
import Tensor

/// Reductions along axes (`sum`, `mean`, `max`, `min`, `variance`, `standardDeviation`,
/// `norm`, `logSumExp`) and arg-reductions (`argmax`, `argmin`), as methods and functions.
extension TensorBindings {
    /// A reduction over `axes` (nil: every axis), keeping them as size 1 when `keepDims`.
    typealias Reduction = (Tensor, [Int]?, Bool) throws -> Tensor

    static var reductions: [(name: String, doc: String, apply: Reduction)] {
        [
            ("sum", "The sum of the elements", { try $0.sum(alongAxes: $1, keepDims: $2) }),
            ("mean", "The mean of the elements", { try $0.mean(alongAxes: $1, keepDims: $2) }),
            ("max", "The largest element", { try $0.max(alongAxes: $1, keepDims: $2) }),
            ("min", "The smallest element", { try $0.min(alongAxes: $1, keepDims: $2) }),
            (
                "variance", "The (population) variance of the elements",
                { try $0.variance(alongAxes: $1, keepDims: $2) }
            ),
            (
                "standardDeviation", "The (population) standard deviation of the elements",
                { try $0.standardDeviation(alongAxes: $1, keepDims: $2) }
            ),
            (
                "norm", "The Euclidean norm of the elements",
                { try $0.norm(alongAxes: $1, keepDims: $2) }
            ),
            (
                "logSumExp", "log Σ eˣ of the elements, computed stably",
                { try $0.logSumExp(alongAxes: $1, keepDims: $2) }
            ),
        ]
    }

    private static func reductionParameters(_ label: String) -> [Parameter] {
        [
            .labelled(label, default: .nilValue),
            .labelled("keepDims", type: "Bool", default: .bool(false)),
        ]
    }

    static func installReductions(_ type: TypeBuilder<Tensor>) {
        for reduction in reductions {
            for label in ["alongAxes", "alongAxis"] {
                type.method(
                    reduction.name, parameters: reductionParameters(label), returns: "Tensor",
                    doc: """
                        \(reduction.doc), over every axis or along the given ones: \
                        `t.\(reduction.name)()`, `t.\(reduction.name)(alongAxes: 1)`, \
                        `t.\(reduction.name)(alongAxes: [0, 1], keepDims: true)`.
                        """
                ) { tensor, arguments in
                    try arguments.wrap(
                        tensor: reduction.apply(
                            TensorConversion.float(tensor), try arguments.axes(0),
                            try arguments.bool(1)))
                }
            }
        }
        for (name, largest) in [("argmax", true), ("argmin", false)] {
            type.method(
                name,
                parameters: [
                    .labelled("alongAxis", type: "Int?", default: .nilValue),
                    .labelled("keepDims", type: "Bool", default: .bool(false)),
                ],
                returns: "Tensor",
                doc: """
                    The index of the \(largest ? "largest" : "smallest") element (of the \
                    flattened tensor, or along an axis) as an Int32 tensor: \
                    `logits.\(name)(alongAxis: 1)`.
                    """
            ) { tensor, arguments in
                let axis = try arguments.optionalInt(0)
                let keep = try arguments.bool(1)
                let input = try TensorConversion.float(tensor)
                return try arguments.wrap(
                    tensor: largest
                        ? input.argmax(alongAxis: axis, keepDims: keep)
                        : input.argmin(alongAxis: axis, keepDims: keep))
            }
        }
    }

    static func installReductionFunctions(into registry: Registry) {
        for reduction in reductions {
            registry.function(
                reduction.name, module: module,
                doc: "\(reduction.doc): `\(reduction.name)(t, alongAxes: 1)`.",
                parameters: [.positional("x", type: "Tensor")] + reductionParameters("alongAxes"),
                returns: "Tensor"
            ) { arguments in
                try arguments.wrap(
                    tensor: reduction.apply(
                        try arguments.floatTensor(0), try arguments.axes(1), try arguments.bool(2)))
            }
            // `max` and `min` are also the builtins of numbers, which accept anything: try the
            // tensor reduction first.
            if ["max", "min"].contains(reduction.name) {
                registry.preferLastOverload(of: reduction.name)
            }
        }
        for (name, largest) in [("argmax", true), ("argmin", false)] {
            registry.function(
                name, module: module,
                doc: "The index of the \(largest ? "largest" : "smallest") element: "
                    + "`\(name)(logits, alongAxis: 1)`.",
                parameters: [
                    .positional("x", type: "Tensor"),
                    .labelled("alongAxis", type: "Int?", default: .nilValue),
                ],
                returns: "Tensor"
            ) { arguments in
                let input = try arguments.floatTensor(0)
                let axis = try arguments.optionalInt(1)
                return try arguments.wrap(
                    tensor: largest ? input.argmax(alongAxis: axis) : input.argmin(alongAxis: axis))
            }
        }
    }
}
