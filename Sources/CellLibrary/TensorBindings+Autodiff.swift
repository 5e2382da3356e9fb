import Cell
import Tensor

/// Autodiff on tensors: `gradient(at:of:)`, `valueWithGradient(at:of:)` and
/// `withoutGradient { }`, whose closures are cell code called back by the Tensor module's tape.
/// (Gradients with respect to a whole model are in `GradientBindings`.)
extension TensorBindings {
    static func installAutodiff(into registry: Registry) {
        let point = PointParameters()
        registry.function(
            "gradient", module: module,
            doc: """
                The gradient of a function with a single-element result at a point (or at \
                several: an array of tensors, passed to the closure as separate arguments).

                ```swift
                let slope = gradient(at: Tensor(3)) { x in x * x }        // tensor(6.0)
                let (dw, db) = gradient(at: [w, b]) { w, b in ((x.matmul(w) + b) - y).squared().mean() }
                ```
                """,
            parameters: point.all, returns: "Tensor"
        ) { arguments in
            let (value, gradients, isList) = try differentiate(arguments, point)
            _ = value
            return isList
                ? .array(try gradients.map { try arguments.wrap(tensor: $0) })
                : try arguments.wrap(tensor: gradients.first ?? Tensor(0))
        }
        registry.function(
            "valueWithGradient", module: module,
            doc: """
                The value of a function at a point together with its gradient there, as a tuple \
                `(value, gradient)`.

                ```swift
                let (y, dy) = valueWithGradient(at: Tensor(2)) { x in x.pow(3) }   // 8, 12
                ```
                """,
            parameters: point.all, returns: "(value: Tensor, gradient: Tensor)"
        ) { arguments in
            let (value, gradients, isList) = try differentiate(arguments, point)
            let gradient =
                isList
                ? Value.array(try gradients.map { try arguments.wrap(tensor: $0) })
                : try arguments.wrap(tensor: gradients.first ?? Tensor(0))
            return .tuple(
                TupleValue(
                    [try arguments.wrap(tensor: value), gradient], labels: ["value", "gradient"]))
        }
        let body = Param<Value>.positional(
            "body", as: Value.argumentKind.described(type: "() -> Any"))
        registry.function(
            "withoutGradient", module: module,
            doc: """
                Runs a closure with autodiff off, so it records no tape (evaluation, manual \
                updates), and returns its result: `let logits = withoutGradient { model(x) }`.
                """,
            parameters: [body]
        ) { arguments in
            try withoutGradient { try arguments.call(body, with: []) }
        }
    }

    /// The point (a tensor, or an array of them) and the function of `gradient(at:of:)` and
    /// `valueWithGradient(at:of:)`.
    private struct PointParameters {
        let point = Param<Value>.labelled("at")
        /// The same `at:` argument read as one tensor.
        let tensor = Param<Tensor>.labelled("at", as: .floatTensor)
        let function = Param<Value>.labelled(
            "of", as: Value.argumentKind.described(type: "(Tensor) -> Tensor"))

        var all: [any ParameterDeclaration] { [point, function] }
    }

    /// Runs `gradient`/`valueWithGradient`: the points, the closure called on the tape.
    private static func differentiate(_ arguments: Arguments, _ p: PointParameters) throws -> (
        value: Tensor, gradients: [Tensor], isList: Bool
    ) {
        let isList: Bool
        let points: [Tensor]
        if case .array(let elements) = try arguments[p.point] {
            isList = true
            points = try elements.map {
                try TensorConversion.float(TensorConversion.tensor(from: $0))
            }
        } else {
            isList = false
            points = [try arguments[p.tensor]]
        }
        let session = arguments.session
        let result = try valueWithGradient(at: points) { leaves in
            let wrapped = try leaves.map { try session.wrap($0) }
            let value = try arguments.call(p.function, with: wrapped)
            return try TensorConversion.float(TensorConversion.tensor(from: value))
        }
        return (result.value, result.gradients, isList)
    }
}
