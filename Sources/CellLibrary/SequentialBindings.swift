import Cell
import NN
import Tensor

/// `Sequential`: the builder form (`Sequential { Flatten(); Dense(784, 10) }`), an array of
/// layers, indexing and slicing (`model[0]`, `model[0..<2]`, `model[-1]`), iteration and the edits
/// transfer learning needs (append, insert, replace, remove, dropLast).
enum SequentialBindings {
    static func install(into registry: Registry) {
        LayerBindings.layerType(
            Sequential.self, "Sequential", registry,
            doc: """
                Layers applied one after another, like torch.nn.Sequential (children named 0, 1, \
                …, so state dicts match PyTorch's).

                ```swift
                var model = Sequential {
                    Flatten()
                    Dense(784, 128, activation: relu)
                    Dense(128, 10)
                }
                model[0]; model[1..<3]; model.append(Dense(10, 2))
                ```
                """
        ) { type in
            installCreation(type)
            installIndexing(type, registry)
            installEditing(type)
        }
    }

    private static func installCreation(_ type: TypeBuilder<Sequential>) {
        let layers = Param<Value>.builder("layers")
        type.initializer(
            parameters: [layers],
            doc: """
                The layers listed in a block, one per line (`relu` in the list becomes a ReLU \
                layer), or given as an array: `Sequential([Flatten(), Dense(784, 10)])`.
                """
        ) { arguments in
            try arguments.session.wrap(
                Sequential(
                    try LayerValues.layers(from: arguments[layers], session: arguments.session)))
        }
        type.initializer(parameters: [], doc: "An empty Sequential; add layers with `append`.") {
            arguments in
            try arguments.session.wrap(Sequential([]))
        }
    }

    private static func installIndexing(_ type: TypeBuilder<Sequential>, _ registry: Registry) {
        type.property("count", type: "Int", doc: "The number of layers.") { .int($0.count) }
        type.property("layers", type: "[Layer]", doc: "The layers, in order.") {
            [unowned registry] model in
            .array(try model.layers.map { try LayerValues.value(of: $0, registry: registry) })
        }
        let index = Param<Value>.positional("index")
        type.subscript(
            parameters: [index], returns: "Layer",
            doc: """
                The layer at an index (negative counts from the end), or a Sequential of the \
                layers in a range, sharing them: `model[0]`, `model[-1]`, `model[0..<2]`.
                """,
            get: { model, arguments in
                let session = arguments.session
                switch try arguments[index] {
                case .int(let position):
                    return try LayerValues.value(of: try model[position], session: session)
                case .range(let range):
                    let bounds = try session.resolve(range, count: model.count, at: nil)
                    return try session.wrap(try model[bounds])
                default:
                    throw arguments.mismatch(index, expected: "Int or a range of Int")
                }
            },
            set: { model, arguments, newValue in
                guard case .int(let position) = try arguments[index] else {
                    throw arguments.mismatch(index, expected: "Int")
                }
                let layer = try LayerValues.requireLayer(
                    newValue, session: arguments.session, role: "the new layer")
                try model.replace(at: position, with: layer)
            })
        type.iterate { model, session in
            var position = 0
            let layers = model.layers
            return {
                guard position < layers.count else { return nil }
                defer { position += 1 }
                return try LayerValues.value(of: layers[position], session: session)
            }
        }
    }

    private static func installEditing(_ type: TypeBuilder<Sequential>) {
        let layer = Param<any Layer>.positional("layer", as: .layer)
        let position = Param<Int>.labelled("at")
        type.method(
            "append", parameters: [layer],
            doc: "Adds a layer at the end: `model.append(Dense(10, 2))`."
        ) { model, arguments in
            model.append(try arguments[layer])
            return .void
        }
        type.method(
            "insert", parameters: [layer, position],
            doc: "Inserts a layer before position `at`: `model.insert(Dropout(0.2), at: 2)`."
        ) { model, arguments in
            try model.insert(try arguments[layer], at: try arguments[position])
            return .void
        }
        let replacement = Param<any Layer>.labelled("with", as: .layer)
        type.method(
            "replace", parameters: [position, replacement], returns: "Layer",
            doc: "Replaces the layer at a position, returning the old one (a new head)."
        ) { model, arguments in
            let old = try model.replace(
                at: try arguments[position], with: try arguments[replacement])
            return try LayerValues.value(of: old, session: arguments.session)
        }
        type.method(
            "remove", parameters: [position], returns: "Layer",
            doc: "Removes and returns the layer at a position."
        ) { model, arguments in
            try LayerValues.value(
                of: try model.remove(at: try arguments[position]), session: arguments.session)
        }
        let count = Param<Int>.positional("count", default: 1)
        type.method(
            "removeLast", parameters: [count], doc: "Removes the last layers in place."
        ) { model, arguments in
            try model.removeLast(try arguments[count])
            return .void
        }
        type.method(
            "dropLast", parameters: [count],
            returns: "Sequential",
            doc: """
                A new Sequential without the last layers, sharing the others: the trained body \
                for transfer learning, `let body = model.dropLast()`.
                """
        ) { model, arguments in
            try arguments.session.wrap(try model.dropLast(try arguments[count]))
        }
    }
}
