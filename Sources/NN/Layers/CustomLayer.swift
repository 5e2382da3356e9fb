import Tensor

/// A layer made of closures: the way a layer defined elsewhere — a `struct Residual: Layer`
/// written in the cell language — takes part in models, autodiff, optimizers, summaries and
/// state dicts. The closures are called each time, so they see the current values of the
/// object they describe.
///
/// ```swift
/// let inner = try Dense(128, 128, activation: .relu)
/// let residual = CustomLayer(
///     typeName: "Residual", children: { [("inner", inner)] }, forward: { x in try x + inner(x) })
/// ```
public final class CustomLayer: Layer {
    /// The name shown in summaries and recorded in architectures.
    public let typeName: String
    /// The training flag (children have their own; `train()` and `eval()` set all of them).
    public var isTraining = true
    private let forward: (Tensor) throws -> Tensor
    private let listParameters: () -> [(name: String, parameter: Parameter)]
    private let listBuffers: () -> [(name: String, buffer: Buffer)]
    private let listChildren: () -> [(name: String, layer: any Layer)]
    private let describe: (() throws -> LayerArchitecture)?

    /// A layer named `typeName` computing `forward`.
    ///
    /// - Parameters:
    ///   - typeName: The layer's type name.
    ///   - parameters: Its own parameters by name (not its children's).
    ///   - buffers: Its own buffers by name.
    ///   - children: Its child layers by name (their parameters are named `child.weight`).
    ///   - architecture: How to describe it for a model file (it is rebuilt by a builder
    ///     passed to `loadModel(from:customLayers:)`); without it the model can only be saved
    ///     as a state dict.
    ///   - forward: The forward pass.
    public init(
        typeName: String,
        parameters: @escaping () -> [(name: String, parameter: Parameter)] = { [] },
        buffers: @escaping () -> [(name: String, buffer: Buffer)] = { [] },
        children: @escaping () -> [(name: String, layer: any Layer)] = { [] },
        architecture: (() throws -> LayerArchitecture)? = nil,
        forward: @escaping (Tensor) throws -> Tensor
    ) {
        self.typeName = typeName
        self.forward = forward
        self.listParameters = parameters
        self.listBuffers = buffers
        self.listChildren = children
        self.describe = architecture
    }

    /// Runs the forward closure.
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try forward(input) }

    /// The parameters closure's answer.
    public var ownParameters: [(name: String, parameter: Parameter)] { listParameters() }

    /// The buffers closure's answer.
    public var ownBuffers: [(name: String, buffer: Buffer)] { listBuffers() }

    /// The children closure's answer.
    public var children: [(name: String, layer: any Layer)] { listChildren() }

    /// The architecture closure's answer, or an error saying the layer cannot be described.
    public func architecture() throws -> LayerArchitecture {
        guard let describe else {
            throw NNError.unsupported(
                "\(typeName) cannot describe its architecture, so it cannot be rebuilt from a "
                    + "file; save its state dict and build the model in code instead")
        }
        return try describe()
    }
}
