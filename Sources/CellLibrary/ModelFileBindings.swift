import Cell
import Compress
import NN
import Tensor

/// Saving and loading models as safetensors files named and laid out as PyTorch state dicts:
/// `model.save(to: "mlp.safetensors")`, `loadModel(from:)` (the architecture is recorded in the
/// file), `model.load(from:)` (weights into a model built in code, e.g. saved by PyTorch).
enum ModelFileBindings {
    static let module = "NN"

    static func installLayerMembers<L: Layer>(_ type: TypeBuilder<L>) {
        let destination = Param<String>.labelled("to")
        let metadata = Param<Value>.labelled(
            "metadata", as: Value.argumentKind.described(type: "[String: Any]"),
            default: .dictionary(DictionaryValue()))
        let sparse = Param<Bool?>.optional("sparse")
        type.method(
            "save", parameters: [destination, metadata, sparse],
            doc: """
                Writes the state dict and the architecture to a safetensors file, atomically, \
                with optional metadata (values written as text): \
                `model.save(to: "mlp.safetensors", metadata: ["accuracy": 0.88])`. A pruned model \
                stores its pruned weights as CSR (smaller, masks kept on load); `sparse: false` \
                writes them dense for PyTorch.
                """
        ) { model, arguments in
            guard case .dictionary(let dictionary) = try arguments[metadata] else {
                throw arguments.mismatch(metadata, expected: "[String: Any]")
            }
            var texts: [String: String] = [:]
            for (key, value) in dictionary.pairs {
                guard case .string(let name) = key else {
                    throw CellError.typeMismatch(
                        "metadata keys must be strings, not \(key.typeName)")
                }
                texts[name] = value.stringText
            }
            try SparseModelFile.save(
                model, to: try arguments[destination], sparse: try arguments[sparse],
                metadata: texts)
            return .void
        }
        let source = Param<String>.labelled("from")
        let strict = Param<Bool>.labelled("strict", default: true)
        type.method(
            "load", parameters: [source, strict],
            doc: """
                Loads weights from a safetensors file (Trainbook's or `safetensors.torch`'s for \
                the equivalent model), naming every mismatch: `model.load(from: "mlp.safetensors")`.
                """
        ) { model, arguments in
            try SparseModelFile.load(
                into: model, from: try arguments[source], strict: try arguments[strict])
            return .void
        }
    }

    static func install(into registry: Registry) {
        let source = Param<String>.labelled("from")
        registry.function(
            "modelMetadata", module: module,
            doc: """
                The text metadata of a safetensors file (what `save(to:metadata:)` recorded, \
                the architecture included): `modelMetadata(from: "cnn.safetensors")["accuracy"]`.
                """,
            parameters: [source], returns: "[String: String]"
        ) { arguments in
            let file = try SafeTensorsFile.read(try arguments[source])
            var dictionary = DictionaryValue()
            for name in file.metadata.keys.sorted() {
                dictionary[.string(name)] = .string(file.metadata[name] ?? "")
            }
            return .dictionary(dictionary)
        }
        registry.function(
            "loadModel", module: module,
            doc: """
                Rebuilds a model saved with `save(to:)` from its file (architecture and weights): \
                `let model = loadModel(from: "mlp.safetensors")`.
                """,
            parameters: [source], returns: "Layer"
        ) { arguments in
            try LayerValues.value(
                of: try SparseModelFile.loadModel(from: try arguments[source]),
                session: arguments.session)
        }
    }
}
