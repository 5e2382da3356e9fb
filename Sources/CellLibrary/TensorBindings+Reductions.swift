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

    /// A reduction's axes (labelled `alongAxes` or `alongAxis`) and `keepDims`.
    private struct ReductionParameters {
        let axes: Param<[Int]?>
        let keepDims = Param<Bool>.labelled("keepDims", default: false)

        init(_ label: String) {
            axes = Param<[Int]?>.labelled(label, as: .axes, default: .nilValue)
        }

        var all: [any ParameterDeclaration] { [axes, keepDims] }
    }

    static func installReductions(_ type: TypeBuilder<Tensor>) {
        for reduction in reductions {
            for label in ["alongAxes", "alongAxis"] {
                let parameters = ReductionParameters(label)
                type.method(
                    reduction.name, parameters: parameters.all, returns: "Tensor",
                    doc: """
                        \(reduction.doc), over every axis or along the given ones: \
                        `t.\(reduction.name)()`, `t.\(reduction.name)(alongAxes: 1)`, \
                        `t.\(reduction.name)(alongAxes: [0, 1], keepDims: true)`.
                        """
                ) { tensor, arguments in
                    try arguments.wrap(
                        tensor: reduction.apply(
                            TensorConversion.float(tensor), try arguments[parameters.axes],
                            try arguments[parameters.keepDims]))
                }
            }
        }
        let axis = Param<Int?>.optional("alongAxis")
        let keepDims = Param<Bool>.labelled("keepDims", default: false)
        for (name, largest) in [("argmax", true), ("argmin", false)] {
            type.method(
                name, parameters: [axis, keepDims],
                returns: "Tensor",
                doc: """
                    The index of the \(largest ? "largest" : "smallest") element (of the \
                    flattened tensor, or along an axis) as an Int32 tensor: \
                    `logits.\(name)(alongAxis: 1)`.
                    """
            ) { tensor, arguments in
                let axis = try arguments[axis]
                let keep = try arguments[keepDims]
                let input = try TensorConversion.float(tensor)
                return try arguments.wrap(
                    tensor: largest
                        ? input.argmax(alongAxis: axis, keepDims: keep)
                        : input.argmin(alongAxis: axis, keepDims: keep))
            }
        }
    }

    static func installReductionFunctions(into registry: Registry) {
        let x = Param<Tensor>.positional(
            "x", as: ArgumentKind<Tensor>.floatTensor.described(type: "Tensor"))
        let parameters = ReductionParameters("alongAxes")
        for reduction in reductions {
            registry.function(
                reduction.name, module: module,
                doc: "\(reduction.doc): `\(reduction.name)(t, alongAxes: 1)`.",
                parameters: [x] + parameters.all, returns: "Tensor"
            ) { arguments in
                try arguments.wrap(
                    tensor: reduction.apply(
                        try arguments[x], try arguments[parameters.axes],
                        try arguments[parameters.keepDims]))
            }
            // `max` and `min` are also the builtins of numbers, which accept anything: try the
            // tensor reduction first.
            if ["max", "min"].contains(reduction.name) {
                registry.preferLastOverload(of: reduction.name)
            }
        }
        let alongAxis = Param<Int?>.optional("alongAxis")
        for (name, largest) in [("argmax", true), ("argmin", false)] {
            registry.function(
                name, module: module,
                doc: "The index of the \(largest ? "largest" : "smallest") element: "
                    + "`\(name)(logits, alongAxis: 1)`.",
                parameters: [x, alongAxis], returns: "Tensor"
            ) { arguments in
                let input = try arguments[x]
                let axis = try arguments[alongAxis]
                return try arguments.wrap(
                    tensor: largest ? input.argmax(alongAxis: axis) : input.argmin(alongAxis: axis))
            }
        }
    }
}
