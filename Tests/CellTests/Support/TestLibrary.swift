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
        let x = Param<Double>.positional("x")
        registry.function(
            "relu", module: "TestNN", doc: "Rectified linear unit, max(x, 0).",
            parameters: [x], returns: "Double"
        ) { arguments in
            .double(max(0, try arguments[x]))
        }
    }

    private static func installVector(_ registry: Registry) {
        registry.type(
            Vector.self, name: "Vector", kind: .value, module: "TestNN",
            doc: "A vector of Doubles, copied on write."
        ) { type in
            let values = Param<[Double]>.positional("values")
            type.initializer(parameters: [values]) { arguments in
                try arguments.wrap(Vector(try arguments[values]))
            }
            type.property("count", type: "Int", doc: "The number of elements.") {
                .int($0.values.count)
            }
            type.method("sum", returns: "Double", doc: "The sum of the elements.") { vector, _ in
                .double(vector.values.reduce(0, +))
            }
            let factor = Param<Double>.labelled("by")
            type.mutatingMethod("scale", parameters: [factor], doc: "Multiplies in place.") {
                vector, arguments in
                let factor = try arguments[factor]
                for index in vector.values.indices { vector[index] *= factor }
                return .void
            }
            let index = Param<Value>.positional("index")
            type.subscript(
                parameters: [index], returns: "Double",
                get: { vector, arguments in
                    switch try arguments[index] {
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
                        throw arguments.mismatch(index, expected: "Int or a range")
                    }
                },
                set: { vector, arguments, newValue in
                    guard case .int(let index) = try arguments[index],
                        vector.values.indices.contains(index),
                        let number = newValue.numberValueForTests
                    else { throw CellError.invalidValue("bad vector assignment") }
                    vector[index] = number
                })
            let row = Param<Int>.positional("row")
            let column = Param<Int>.positional("column")
            type.subscript(parameters: [row, column], returns: "Double") { vector, arguments in
                .double(Double(try arguments[row] * 10 + arguments[column]) + vector.values[0])
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
            let inputs = Param<Int>.positional("inputs")
            let outputs = Param<Int>.positional("outputs")
            let activationParameter = Param<Value>.labelled(
                "activation", as: Value.argumentKind.described(type: "Activation"),
                default: .nilValue)
            type.initializer(
                parameters: [inputs, outputs, activationParameter],
                doc: "A layer from `inputs` to `outputs` units."
            ) { arguments in
                var activation = Activation.identity
                switch try arguments[activationParameter] {
                case .nilValue: break
                case .function(let function) where function.name == "relu": activation = .relu
                case let value:
                    guard let given = value.hostPayload(as: Activation.self) else {
                        throw arguments.mismatch(activationParameter, expected: "Activation")
                    }
                    activation = given
                }
                var random = arguments.session.random
                let weight = Double.random(in: 0..<1, using: &random)
                return try arguments.wrap(
                    Dense(
                        inputs: try arguments[inputs], outputs: try arguments[outputs],
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
            let x = Param<Double>.positional("x")
            type.callAsFunction(parameters: [x], returns: "Double") { layer, arguments in
                let y = try arguments[x] * layer.weight
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
            let builder = Param<[Value]>(
                declaring: .builder("layers", of: "Layer"), kind: [Value].argumentKind)
            type.initializer(parameters: [builder]) { arguments in
                let layers = try arguments[builder]
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
            let input = Param<Value>.positional(
                "x", as: Value.argumentKind.described(type: "Double"))
            type.callAsFunction(parameters: [input], returns: "Double") { stack, arguments in
                var x = try arguments[input]
                for layer in stack.layers {
                    x = try arguments.session.callMethod("callAsFunction", on: layer, [x])
                }
                return x
            }
            let data = Param<Value>.positional(
                "data", as: Value.argumentKind.described(type: "Pairs"))
            let epochs = Param<Int>.labelled("epochs", default: 1)
            let onEpoch = Param<Value?>.labelled(
                "onEpoch", as: Value?.argumentKind.described(type: "((Int) -> Void)?"),
                default: .nilValue)
            type.method(
                "fit", parameters: [data, epochs, onEpoch],
                doc: "Trains in place, calling `onEpoch` after each epoch."
            ) { stack, arguments in
                for epoch in 1...max(1, try arguments[epochs]) {
                    try arguments.session.checkInterrupt()
                    stack.epochsTrained += 1
                    if let callback = try arguments[onEpoch] {
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
            let property = Param<String>.positional("property")
            let replacement = Param<Value>.labelled("with")
            type.method(
                "replacing", parameters: [property, replacement],
                doc: "The first layer with a stored property replaced (user layers only)."
            ) { stack, arguments in
                guard let first = stack.layers.first else { return .nilValue }
                return try arguments.session.settingStoredProperty(
                    try arguments[property], of: first, to: arguments[replacement])
            }
            type.description { "Stack(\($0.layers.count) layers)" }
        }
    }

    private static func installPairs(_ registry: Registry) {
        registry.type(
            Pairs.self, name: "Pairs", kind: .reference, module: "TestNN", doc: "(x, y) pairs."
        ) { type in
            let count = Param<Int>.labelled("count")
            type.initializer(parameters: [count]) { arguments in
                let count = try arguments[count]
                return try arguments.wrap(
                    Pairs(xs: (0..<count).map(Double.init), ys: (0..<count).map { Double($0) * 2 }))
            }
            let size = Param<Int>.labelled("of")
            type.method(
                "batches", parameters: [size], returns: "Batches",
                doc: "Consecutive batches of (xs, ys)."
            ) { pairs, arguments in
                let size = try arguments[size]
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
        let model = Param<Value>.labelled("of")
        let body = Param<Value>.positional(
            "body", as: Value.argumentKind.described(type: "(Layer) -> Double"))
        registry.function(
            "valueWithGradient", module: "TestNN",
            doc: "Calls the closure with the model; returns its value and a (fake) gradient.",
            parameters: [model, body]
        ) { arguments in
            let value = try arguments.call(body, with: [arguments[model]])
            return .tuple(TupleValue([value, .double(1)]))
        }
        let inputs = Param<Int>.positional("inputs")
        registry.function(
            "failing", module: "TestNN", doc: "Always throws a library error.",
            parameters: [inputs]
        ) { arguments in
            throw ShapeMismatch(expected: 3, got: try arguments[inputs])
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
