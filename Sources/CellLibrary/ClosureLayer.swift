import Cell
import NN
import Tensor

/// A closure as a layer without parameters: `Lambda { x in x.reshaped([-1, 1, 28, 28]) }` in a
/// Sequential, for shape changes and custom activations. The closure is cell code, called back
/// on every forward pass (so it takes part in autodiff).
final class ClosureLayer: Layer {
    /// The closure, a cell function of one tensor.
    let function: Value
    /// A name for summaries.
    let name: String
    /// Unused: the closure decides.
    var isTraining = true
    private weak var session: Session?

    init(function: Value, name: String, session: Session) {
        self.function = function
        self.name = name
        self.session = session
    }

    /// Calls the closure with `input`.
    func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard let session else {
            throw CellError.invalidValue("the session that defined this Lambda layer has ended")
        }
        let output = try session.call(function, [try session.wrap(input)])
        do {
            return try TensorConversion.tensor(from: output)
        } catch {
            throw CellError.typeMismatch(
                "a Lambda layer must return a Tensor, not \(output.typeName)")
        }
    }

    /// "Lambda".
    var typeName: String { "Lambda" }

    /// The closure's name, when it has one.
    var configurationSummary: String { name }

    static func install(into registry: Registry) {
        LayerBindings.layerType(
            ClosureLayer.self, "Lambda", registry,
            doc: """
                A closure of one tensor as a layer without parameters: \
                `Lambda { x in x.reshaped([-1, 1, 28, 28]) }`.
                """
        ) { type in
            let name = Param<String>.labelled("name", default: "")
            let function = Param<Value>.positional(
                "function", as: Value.argumentKind.described(type: "(Tensor) -> Tensor"))
            type.initializer(
                parameters: [name, function], doc: "A layer that applies `function`."
            ) { arguments in
                try arguments.session.wrap(
                    ClosureLayer(
                        function: arguments[function], name: try arguments[name],
                        session: arguments.session))
            }
        }
    }
}
