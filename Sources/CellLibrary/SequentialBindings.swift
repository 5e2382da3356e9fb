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
        type.initializer(
            // Untyped: overload choice would otherwise reject the closure before running it.
            parameters: [Parameter(label: nil, name: "layers", isBuilder: true)],
            doc: """
                The layers listed in a block, one per line (`relu` in the list becomes a ReLU \
                layer), or given as an array: `Sequential([Flatten(), Dense(784, 10)])`.
                """
        ) { arguments in
            try arguments.session.wrap(
                Sequential(try LayerValues.layers(from: arguments[0], session: arguments.session)))
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
        type.subscript(
            parameters: [.positional("index")], returns: "Layer",
            doc: """
                The layer at an index (negative counts from the end), or a Sequential of the \
                layers in a range, sharing them: `model[0]`, `model[-1]`, `model[0..<2]`.
                """,
            get: { model, arguments in
                let session = arguments.session
                switch arguments[0] {
                case .int(let index):
                    return try LayerValues.value(of: try model[index], session: session)
                case .range(let range):
                    let bounds = try session.resolve(range, count: model.count, at: nil)
                    return try session.wrap(try model[bounds])
                default:
                    throw arguments.mismatch(0, expected: "Int or a range of Int")
                }
            },
            set: { model, arguments, newValue in
                guard case .int(let index) = arguments[0] else {
                    throw arguments.mismatch(0, expected: "Int")
                }
                let layer = try LayerValues.requireLayer(
                    newValue, session: arguments.session, role: "the new layer")
                try model.replace(at: index, with: layer)
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
        type.method(
            "append", parameters: [.positional("layer")],
            doc: "Adds a layer at the end: `model.append(Dense(10, 2))`."
        ) { model, arguments in
            model.append(try arguments.layer(0))
            return .void
        }
        type.method(
            "insert", parameters: [.positional("layer"), .labelled("at", type: "Int")],
            doc: "Inserts a layer before position `at`: `model.insert(Dropout(0.2), at: 2)`."
        ) { model, arguments in
            try model.insert(try arguments.layer(0), at: try arguments.int(1))
            return .void
        }
        type.method(
            "replace", parameters: [.labelled("at", type: "Int"), .labelled("with")],
            returns: "Layer",
            doc: "Replaces the layer at a position, returning the old one (a new head)."
        ) { model, arguments in
            let old = try model.replace(at: try arguments.int(0), with: try arguments.layer(1))
            return try LayerValues.value(of: old, session: arguments.session)
        }
        type.method(
            "remove", parameters: [.labelled("at", type: "Int")], returns: "Layer",
            doc: "Removes and returns the layer at a position."
        ) { model, arguments in
            try LayerValues.value(
                of: try model.remove(at: try arguments.int(0)), session: arguments.session)
        }
        type.method(
            "removeLast", parameters: [.positional("count", type: "Int", default: .int(1))],
            doc: "Removes the last layers in place."
        ) { model, arguments in
            try model.removeLast(try arguments.int(0))
            return .void
        }
        type.method(
            "dropLast", parameters: [.positional("count", type: "Int", default: .int(1))],
            returns: "Sequential",
            doc: """
                A new Sequential without the last layers, sharing the others: the trained body \
                for transfer learning, `let body = model.dropLast()`.
                """
        ) { model, arguments in
            try arguments.session.wrap(try model.dropLast(try arguments.int(0)))
        }
    }
}
