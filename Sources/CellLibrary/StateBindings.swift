import Cell
import NN
import Tensor

/// State dicts: a model's tensors by PyTorch name (`1.weight`), and loading them back with every
/// difference named.
enum StateBindings {
    static func installLayerMembers<L: Layer>(_ type: TypeBuilder<L>, _ registry: Registry) {
        type.method(
            "stateDict", returns: "[String: Tensor]",
            doc: "Every parameter and buffer by its PyTorch name (`1.weight`, `1.bias`, …)."
        ) { layer, arguments in
            let state = layer.stateDict()
            var dictionary = DictionaryValue()
            for name in layer.namedParameters().map(\.name) + layer.namedBuffers().map(\.name) {
                if let tensor = state[name] {
                    dictionary[.string(name)] = try arguments.wrap(tensor: tensor)
                }
            }
            return .dictionary(dictionary)
        }
        let stateDict = Param<Value>.labelled(
            "stateDict", as: Value.argumentKind.described(type: "[String: Tensor]"))
        let strict = Param<Bool>.labelled("strict", default: true)
        type.method(
            "load", parameters: [stateDict, strict],
            doc: """
                Loads tensors by name into the model (all or nothing, every mismatch named); \
                `strict: false` loads the names both have.
                """
        ) { layer, arguments in
            guard case .dictionary(let dictionary) = try arguments[stateDict] else {
                throw arguments.mismatch(stateDict, expected: "[String: Tensor]")
            }
            var state: [String: Tensor] = [:]
            for (key, value) in dictionary.pairs {
                guard case .string(let name) = key else {
                    throw CellError.typeMismatch(
                        "state dict keys must be strings, not \(key.typeName)")
                }
                state[name] = try TensorConversion.tensor(from: value)
            }
            try layer.load(stateDict: state, strict: try arguments[strict])
            return .void
        }
    }
}
