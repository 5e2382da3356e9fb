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
        let sparse = Param<Bool?>.optional("sparse")
        type.method(
            "save", parameters: [destination, sparse],
            doc: """
                Writes the state dict and the architecture to a safetensors file, atomically: \
                `model.save(to: "mlp.safetensors")`. A pruned model stores its pruned weights \
                as CSR (smaller, masks kept on load); `sparse: false` writes them dense for \
                PyTorch.
                """
        ) { model, arguments in
            try SparseModelFile.save(
                model, to: try arguments[destination], sparse: try arguments[sparse])
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
