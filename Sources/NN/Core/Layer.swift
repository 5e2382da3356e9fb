import Tensor

/// A building block of a model: a function of a tensor with named parameters, buffers and
/// child layers, and a training flag.
///
/// Only the forward pass and the training flag must be written; parameters, buffers and
/// children default to none, and everything built on them (recursive names such as
/// `1.weight`, counting, freezing, train/eval, state dicts, summaries, regularization) comes
/// from the default implementations. Names follow PyTorch so a state dict matches the
/// equivalent `torch.nn` model.
///
/// ```swift
/// final class Residual: Layer {
///     let inner: Dense
///     var isTraining = true
///     init() throws { inner = try Dense(128, 128, activation: .relu) }
///     var children: [(name: String, layer: any Layer)] { [("inner", inner)] }
///     func callAsFunction(_ x: Tensor) throws -> Tensor { try x + inner(x) }
/// }
/// ```
public protocol Layer: AnyObject {
    /// Applies the layer to `input`.
    func callAsFunction(_ input: Tensor) throws -> Tensor

    /// Whether the layer behaves as in training (dropout active, batch statistics used and
    /// running statistics updated) rather than in evaluation. Set it for a whole model with
    /// `train()` and `eval()`.
    var isTraining: Bool { get set }

    /// This layer's own parameters, by their PyTorch names (`weight`, `bias`), not those of
    /// its children.
    var ownParameters: [(name: String, parameter: Parameter)] { get }

    /// This layer's own buffers (non-trainable state saved in the state dict).
    var ownBuffers: [(name: String, buffer: Buffer)] { get }

    /// Those of `ownBuffers` that are the layer's weights although nothing trains them (an
    /// int8 layer's weight and bias): `parameterCount` and `summary()` count them as
    /// parameters, `trainableParameterCount` does not.
    var ownFixedParameters: [(name: String, buffer: Buffer)] { get }

    /// The direct child layers, by name (`0`, `1`, … in a Sequential).
    var children: [(name: String, layer: any Layer)] { get }

    /// The name shown in summaries and errors and recorded in architectures ("Dense").
    var typeName: String { get }

    /// A one-line description of the configuration, for summaries ("784 → 128, relu").
    var configurationSummary: String { get }

    /// This layer's own regularization penalty (its kernel regularizer), or nil; children's
    /// are added by `regularizationLoss()`.
    func ownRegularizationPenalty() throws -> Tensor?

    /// The description of this layer and its children from which `LayerArchitecture.build()`
    /// makes an equivalent, freshly initialised layer.
    func architecture() throws -> LayerArchitecture
}

// MARK: - Default implementations

extension Layer {
    /// No parameters.
    public var ownParameters: [(name: String, parameter: Parameter)] { [] }

    /// No fixed parameters.
    public var ownFixedParameters: [(name: String, buffer: Buffer)] { [] }

    /// No buffers.
    public var ownBuffers: [(name: String, buffer: Buffer)] { [] }

    /// No children.
    public var children: [(name: String, layer: any Layer)] { [] }

    /// The Swift type's name.
    public var typeName: String { String(describing: type(of: self)) }

    /// Empty.
    public var configurationSummary: String { "" }

    /// No penalty.
    public func ownRegularizationPenalty() throws -> Tensor? { nil }

    /// By default a layer cannot be described; built-in layers override this.
    public func architecture() throws -> LayerArchitecture {
        throw NNError.unsupported(
            "\(typeName) cannot describe its architecture, so it cannot be rebuilt from a "
                + "file; save its state dict and build the model in code instead")
    }
}

// MARK: - Traversal

extension Layer {
    /// Every parameter of this layer and its descendants with its dotted name
    /// (`1.weight`), children in order, each parameter once even if it is shared.
    ///
    /// ```swift
    /// for (name, parameter) in model.namedParameters() { print(name, parameter.shape) }
    /// ```
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = []
        var seen = Set<ObjectIdentifier>()
        visit(prefix: "") { prefix, layer in
            for (name, parameter) in layer.ownParameters
            where seen.insert(ObjectIdentifier(parameter)).inserted {
                result.append((prefix + name, parameter))
            }
        }
        return result
    }

    /// Every buffer of this layer and its descendants with its dotted name.
    public func namedBuffers() -> [(name: String, buffer: Buffer)] {
        var result: [(name: String, buffer: Buffer)] = []
        var seen = Set<ObjectIdentifier>()
        visit(prefix: "") { prefix, layer in
            for (name, buffer) in layer.ownBuffers
            where seen.insert(ObjectIdentifier(buffer)).inserted {
                result.append((prefix + name, buffer))
            }
        }
        return result
    }

    /// This layer (named "") and every descendant with its dotted name ("1", "2.0"), parents
    /// before children.
    public func namedLayers() -> [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = []
        visit(prefix: "") { prefix, layer in
            result.append((prefix.isEmpty ? "" : String(prefix.dropLast()), layer))
        }
        return result
    }

    /// The parameters of this layer and its descendants, each once.
    public var parameters: [Parameter] { namedParameters().map(\.parameter) }

    /// The fixed parameters (`ownFixedParameters`) of this layer and its descendants, each once.
    public var fixedParameters: [Buffer] {
        var result: [Buffer] = []
        var seen = Set<ObjectIdentifier>()
        visit(prefix: "") { _, layer in
            for (_, buffer) in layer.ownFixedParameters
            where seen.insert(ObjectIdentifier(buffer)).inserted {
                result.append(buffer)
            }
        }
        return result
    }

    /// Calls `body` with each layer of the tree and the prefix of its names ("", "1.", "2.0.").
    func visit(prefix: String, _ body: (String, any Layer) -> Void) {
        var stack: [(prefix: String, layer: any Layer)] = [(prefix, self)]
        var visited = Set<ObjectIdentifier>()
        while let (prefix, layer) = stack.popLast() {
            guard visited.insert(ObjectIdentifier(layer)).inserted else { continue }
            body(prefix, layer)
            for (name, child) in layer.children.reversed() {
                stack.append((prefix + name + ".", child))
            }
        }
    }
}

// MARK: - Counting and mode

extension Layer {
    /// The number of parameter elements (weights and biases, the fixed ones of int8 layers
    /// included; other buffers are not counted).
    public var parameterCount: Int {
        parameters.reduce(0) { $0 + $1.elementCount } + fixedParameterCount
    }

    /// The number of fixed parameter elements (`ownFixedParameters`: int8 weights and biases).
    public var fixedParameterCount: Int {
        fixedParameters.reduce(0) { $0 + $1.value.elementCount }
    }

    /// The bytes the parameters take in memory and in files, each at its own dtype (an int8
    /// weight one byte an element).
    public var parameterByteCount: Int {
        parameters.reduce(0) { $0 + $1.elementCount * $1.value.dtype.byteSize }
            + fixedParameters.reduce(0) { $0 + $1.value.elementCount * $1.value.dtype.byteSize }
    }

    /// The number of parameter elements that optimizers update (not frozen).
    public var trainableParameterCount: Int {
        parameters.reduce(0) { $0 + ($1.isFrozen ? 0 : $1.elementCount) }
    }

    /// Puts this layer and its descendants in training mode.
    public func train() { setTraining(true) }

    /// Puts this layer and its descendants in evaluation mode (dropout off, running
    /// statistics used).
    public func eval() { setTraining(false) }

    /// Sets the training flag of this layer and its descendants.
    public func setTraining(_ training: Bool) {
        visit(prefix: "") { _, layer in layer.isTraining = training }
    }

    /// Runs `body` with this layer and its descendants in evaluation mode, then restores each
    /// layer's own flag.
    ///
    /// ```swift
    /// let logits = try model.evaluating { try withoutGradient { try model(x) } }
    /// ```
    public func evaluating<Result>(_ body: () throws -> Result) rethrows -> Result {
        var saved: [(layer: any Layer, wasTraining: Bool)] = []
        visit(prefix: "") { _, layer in saved.append((layer, layer.isTraining)) }
        for (layer, _) in saved { layer.isTraining = false }
        defer { for (layer, wasTraining) in saved { layer.isTraining = wasTraining } }
        return try body()
    }
}
