import NN
import Tensor

/// Training: `fit`, `evaluate`, `predict` on every layer.
enum TrainingBindings {
    static let module = "NN"

    static func install(into registry: Registry) {}

    static func installLayerMembers<L: Layer>(_ type: TypeBuilder<L>, _ registry: Registry) {}
}
