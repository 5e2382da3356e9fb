import Cell
import KernelInterface

// A small stand-in library, bound through the registry the way the Tensor, NN and Data
// modules will bind theirs: reference objects (models, layers), a copy-on-write value type
// (vectors), a builder, callbacks into cell code, implicit members, host sequences, display.

/// A copy-on-write vector of Doubles (stands in for a tensor).
struct Vector: Equatable {
    final class Storage {
        var values: [Double]
        init(_ values: [Double]) { self.values = values }
    }

    private var storage: Storage

    init(_ values: [Double]) { storage = Storage(values) }

    var values: [Double] { storage.values }

    subscript(index: Int) -> Double {
        get { storage.values[index] }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.values) }
            storage.values[index] = newValue
        }
    }

    static func == (lhs: Vector, rhs: Vector) -> Bool { lhs.values == rhs.values }
}

/// An activation function, chosen by implicit member (`.relu`) or function value (`relu`).
enum Activation: String {
    case identity, relu, tanh
}

/// A fully connected layer (a reference object, as layers inside models are).
final class Dense {
    let inputs: Int
    let outputs: Int
    var activation: Activation
    var weight: Double

    init(inputs: Int, outputs: Int, activation: Activation, weight: Double) {
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        self.weight = weight
    }
}

/// A stack of layers made with a builder; calls each layer in turn, user layers included.
final class Stack {
    var layers: [Value]
    var epochsTrained = 0

    init(layers: [Value]) { self.layers = layers }
}

/// A data set of (x, y) pairs, iterated in batches.
final class Pairs {
    let xs: [Double]
    let ys: [Double]

    init(xs: [Double], ys: [Double]) {
        self.xs = xs
        self.ys = ys
    }
}

/// An error the library raises.
struct ShapeMismatch: Error, ReportableError {
    let expected: Int
    let got: Int
    var errorName: String { "ShapeError" }
    var errorMessage: String { "expected \(expected) inputs, got \(got)" }
}

enum TestLibrary {
    /// Registers everything with `registry`.
    static func install(into registry: Registry) {
        registry.protocol(
            "Layer", requirements: ["callAsFunction(_:)"], doc: "A layer maps a Double to a Double."
        )
        installActivation(registry)
        installVector(registry)
        installDense(registry)
        installStack(registry)
        installPairs(registry)
        installFunctions(registry)
    }

    private static func installActivation(_ registry: Registry) {
        registry.type(
            Activation.self, name: "Activation", kind: .value, module: "TestNN",
            doc: "An activation function."
        ) { type in
            for activation in [Activation.identity, .relu, .tanh] {
                type.staticProperty(
                    activation.rawValue, doc: "The \(activation.rawValue) activation."
                ) {
                    try registry.value(wrapping: activation)
                }
            }
            type.description { $0.rawValue }
        }
        registry.function(
            "relu", module: "TestNN", doc: "Rectified linear unit, max(x, 0).",
            parameters: [.positional("x", type: "Double")], returns: "Double"
        ) { arguments in
            .double(max(0, try arguments.double(0)))
        }
    }

    private static func installVector(_ registry: Registry) {
        registry.type(
            Vector.self, name: "Vector", kind: .value, module: "TestNN",
            doc: "A vector of Doubles, copied on write."
        ) { type in
            type.initializer(parameters: [.positional("values", type: "[Double]")]) { arguments in
                try arguments.wrap(Vector(try arguments.doubles(0)))
            }
            type.property("count", type: "Int", doc: "The number of elements.") {
                .int($0.values.count)
            }
            type.method("sum", returns: "Double", doc: "The sum of the elements.") { vector, _ in
                .double(vector.values.reduce(0, +))
            }
            type.mutatingMethod(
                "scale", parameters: [.labelled("by", type: "Double")], doc: "Multiplies in place."
            ) { vector, arguments in
                let factor = try arguments.double(0)
                for index in vector.values.indices { vector[index] *= factor }
                return .void
            }
            type.subscript(
                parameters: [.positional("index")], returns: "Double",
                get: { vector, arguments in
                    switch arguments[0] {
                    case .int(let index):
                        guard vector.values.indices.contains(index) else {
                            throw CellError.indexOutOfRange("vector index \(index) is out of range")
                        }
                        return .double(vector[index])
                    case .range(let range):
                        let low =
                            range.lower.flatMap {
                                if case .int(let v) = $0 { return v } else { return nil }
                            } ?? 0
                        let high =
                            range.upper.flatMap {
                                if case .int(let v) = $0 { return v } else { return nil }
                            } ?? vector.values.count - (range.isClosed ? 1 : 0)
                        let end = range.isClosed ? high + 1 : high
                        guard low >= 0, end <= vector.values.count, low <= end else {
                            throw CellError.indexOutOfRange("vector slice is out of range")
                        }
                        return try arguments.wrap(Vector(Array(vector.values[low..<end])))
                    default:
                        throw arguments.mismatch(0, expected: "Int or a range")
                    }
                },
                set: { vector, arguments, newValue in
                    guard case .int(let index) = arguments[0],
                        vector.values.indices.contains(index),
                        let number = newValue.numberValueForTests
                    else { throw CellError.invalidValue("bad vector assignment") }
                    vector[index] = number
                })
            type.subscript(
                parameters: [.positional("row", type: "Int"), .positional("column", type: "Int")],
                returns: "Double"
            ) { vector, arguments in
                .double(Double(try arguments.int(0) * 10 + arguments.int(1)) + vector.values[0])
            }
            type.description { "Vector(\($0.values))" }
            type.display { vector in
                var bundle = MimeBundle(plainText: "Vector(\(vector.values))")
                bundle[.html] =
                    "<table><tr>" + vector.values.map { "<td>\($0)</td>" }.joined()
                    + "</tr></table>"
                return bundle
            }
            type.summary { "\($0.values.count) elements" }
            type.byteCount { $0.values.count * 8 }
            type.iterate { vector, _ in
                var index = 0
                let values = vector.values
                return {
                    guard index < values.count else { return nil }
                    defer { index += 1 }
                    return .double(values[index])
                }
            }
        }
        registry.binaryOperator("+", lhs: "Vector", rhs: "Vector") { lhs, rhs, session in
            guard let a = lhs.hostPayload(as: Vector.self), let b = rhs.hostPayload(as: Vector.self)
            else {
                return .void
            }
            guard a.values.count == b.values.count else {
                throw ShapeMismatch(expected: a.values.count, got: b.values.count)
            }
            return try session.wrap(Vector(zip(a.values, b.values).map(+)))
        }
        registry.binaryOperator("*", lhs: "Double", rhs: "Vector") { lhs, rhs, session in
            guard case .double(let k) = lhs, let v = rhs.hostPayload(as: Vector.self) else {
                return .void
            }
            return try session.wrap(Vector(v.values.map { $0 * k }))
        }
        registry.binaryOperator("==", lhs: "Vector", rhs: "Vector") { lhs, rhs, _ in
            .bool(lhs.hostPayload(as: Vector.self) == rhs.hostPayload(as: Vector.self))
        }
        registry.prefixOperator("-", operand: "Vector") { operand, session in
            guard let v = operand.hostPayload(as: Vector.self) else { return .void }
            return try session.wrap(Vector(v.values.map { -$0 }))
        }
    }

    private static func installDense(_ registry: Registry) {
        registry.type(
            Dense.self, name: "Dense", kind: .reference, module: "TestNN",
            doc:
                "A fully connected layer.\n\nIts weight starts from the session's random generator.",
            conformances: ["Layer"]
        ) { type in
            type.initializer(
                parameters: [
                    .positional("inputs", type: "Int"), .positional("outputs", type: "Int"),
                    .labelled("activation", type: "Activation", default: .nilValue),
                ], doc: "A layer from `inputs` to `outputs` units."
            ) { arguments in
                var activation = Activation.identity
                switch arguments[2] {
                case .nilValue: break
                case .function(let function) where function.name == "relu": activation = .relu
                default:
                    activation = try arguments.host(Activation.self, 2)
                }
                var random = arguments.session.random
                let weight = Double.random(in: 0..<1, using: &random)
                return try arguments.wrap(
                    Dense(
                        inputs: try arguments.int(0), outputs: try arguments.int(1),
                        activation: activation, weight: weight))
            }
            type.property(
                "weight", type: "Double", doc: "The layer's weight.", get: { .double($0.weight) }
            ) { layer, value in
                layer.weight = value.numberValueForTests ?? layer.weight
            }
            type.property("activation", type: "Activation", doc: "The activation.") { layer in
                try registry.value(wrapping: layer.activation)
            }
            type.property("shape", type: "(Int, Int)", doc: "(inputs, outputs).") { layer in
                .tuple(TupleValue([.int(layer.inputs), .int(layer.outputs)]))
            }
            type.callAsFunction(parameters: [.positional("x", type: "Double")], returns: "Double") {
                layer, arguments in
                let y = try arguments.double(0) * layer.weight
                switch layer.activation {
                case .identity: return .double(y)
                case .relu: return .double(max(0, y))
                case .tanh: return .double(y)
                }
            }
            type.description { "Dense(\($0.inputs), \($0.outputs))" }
        }
    }

    private static func installStack(_ registry: Registry) {
        registry.type(
            Stack.self, name: "Stack", kind: .reference, module: "TestNN",
            doc:
                "Layers applied in turn, made with a builder: `Stack { Dense(1, 1); Dense(1, 1) }`.",
            conformances: ["Layer"]
        ) { type in
            type.initializer(parameters: [.builder("layers", of: "Layer")]) { arguments in
                let layers = try arguments.array(0)
                for layer in layers where !arguments.session.conforms(layer, to: "Layer") {
                    throw CellError.typeMismatch("\(layer.typeName) is not a Layer")
                }
                return try arguments.wrap(Stack(layers: layers))
            }
            type.property("count", type: "Int", doc: "The number of layers.") {
                .int($0.layers.count)
            }
            type.property("layers", type: "[Layer]", doc: "The layers.") { .array($0.layers) }
            type.property("epochsTrained", type: "Int", doc: "Epochs trained so far.") {
                .int($0.epochsTrained)
            }
            type.callAsFunction(parameters: [.positional("x", type: "Double")], returns: "Double") {
                stack, arguments in
                var x = arguments[0]
                for layer in stack.layers {
                    x = try arguments.session.callMethod("callAsFunction", on: layer, [x])
                }
                return x
            }
            type.method(
                "fit",
                parameters: [
                    .positional("data", type: "Pairs"),
                    .labelled("epochs", type: "Int", default: .int(1)),
                    .labelled("onEpoch", type: "((Int) -> Void)?", default: .nilValue),
                ],
                doc: "Trains in place, calling `onEpoch` after each epoch."
            ) { stack, arguments in
                for epoch in 1...max(1, try arguments.int(1)) {
                    try arguments.session.checkInterrupt()
                    stack.epochsTrained += 1
                    if let callback = arguments.optional(2) {
                        _ = try arguments.session.call(callback, [.int(epoch)])
                    }
                }
                return .int(stack.epochsTrained)
            }
            type.method("trainForever", doc: "Trains until interrupted.") { stack, arguments in
                while true {
                    try arguments.session.checkInterrupt()
                    stack.epochsTrained += 1
                }
            }
            type.method(
                "parameterNames", returns: "[String]",
                doc: "Names of the parameters, user layers' stored properties included."
            ) { stack, arguments in
                var names: [Value] = []
                for (index, layer) in stack.layers.enumerated() {
                    if let properties = arguments.session.storedProperties(of: layer) {
                        for property in properties {
                            names.append(.string("\(index).\(property.name)"))
                        }
                    } else {
                        names.append(.string("\(index).weight"))
                    }
                }
                return .array(names)
            }
            type.method(
                "replacing",
                parameters: [.positional("property", type: "String"), .labelled("with")],
                doc: "The first layer with a stored property replaced (user layers only)."
            ) { stack, arguments in
                guard let first = stack.layers.first else { return .nilValue }
                return try arguments.session.settingStoredProperty(
                    try arguments.string(0), of: first, to: arguments[1])
            }
            type.description { "Stack(\($0.layers.count) layers)" }
        }
    }

    private static func installPairs(_ registry: Registry) {
        registry.type(
            Pairs.self, name: "Pairs", kind: .reference, module: "TestNN", doc: "(x, y) pairs."
        ) { type in
            type.initializer(parameters: [.labelled("count", type: "Int")]) { arguments in
                let count = try arguments.int(0)
                return try arguments.wrap(
                    Pairs(xs: (0..<count).map(Double.init), ys: (0..<count).map { Double($0) * 2 }))
            }
            type.method(
                "batches", parameters: [.labelled("of", type: "Int")], returns: "Batches",
                doc: "Consecutive batches of (xs, ys)."
            ) { pairs, arguments in
                let size = try arguments.int(0)
                guard size > 0 else { throw CellError.invalidValue("batch size must be positive") }
                return try arguments.wrap(BatchList(pairs: pairs, size: size))
            }
        }
        registry.type(
            BatchList.self, name: "Batches", kind: .reference, module: "TestNN",
            doc: "Batches of pairs."
        ) { type in
            type.iterate { batches, _ in
                var start = 0
                return {
                    guard start < batches.pairs.xs.count else { return nil }
                    let end = min(start + batches.size, batches.pairs.xs.count)
                    defer { start = end }
                    return .tuple(
                        TupleValue([
                            .array(batches.pairs.xs[start..<end].map(Value.double)),
                            .array(batches.pairs.ys[start..<end].map(Value.double)),
                        ]))
                }
            }
        }
    }

    private static func installFunctions(_ registry: Registry) {
        registry.function(
            "valueWithGradient", module: "TestNN",
            doc: "Calls the closure with the model; returns its value and a (fake) gradient.",
            parameters: [.labelled("of"), .positional("body", type: "(Layer) -> Double")]
        ) { arguments in
            let value = try arguments.call(1, with: [arguments[0]])
            return .tuple(TupleValue([value, .double(1)]))
        }
        registry.function(
            "failing", module: "TestNN", doc: "Always throws a library error.",
            parameters: [.positional("inputs", type: "Int")]
        ) { arguments in
            throw ShapeMismatch(expected: 3, got: try arguments.int(0))
        }
        registry.function(
            "randomWeight", module: "TestNN", doc: "A weight drawn from the session's generator.",
            returns: "Double"
        ) { arguments in
            var random = arguments.session.random
            return .double(Double.random(in: 0..<1, using: &random))
        }
    }
}

/// The batches of a `Pairs` data set.
final class BatchList {
    let pairs: Pairs
    let size: Int

    init(pairs: Pairs, size: Int) {
        self.pairs = pairs
        self.size = size
    }
}

extension Value {
    fileprivate var numberValueForTests: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }
}
