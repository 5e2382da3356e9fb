import Synchronization

/// Builders for layer types defined outside NN (the int8 layers of Compress, for example) that
/// `LayerArchitecture.build()` — and so `loadModel(from:)` — uses for every model, without a
/// `customLayers` argument.
///
/// ```swift
/// LayerBuilderRegistry.register("QuantizedDense") { try QuantizedDense(architecture: $0) }
/// ```
public enum LayerBuilderRegistry {
    private static let builders = Mutex<
        [String: @Sendable (LayerArchitecture) throws -> any Layer]
    >(
        [:])

    /// Makes `build` the builder of layers of type `type` (replacing an earlier one).
    public static func register(
        _ type: String, _ build: @escaping @Sendable (LayerArchitecture) throws -> any Layer
    ) {
        builders.withLock { $0[type] = build }
    }

    /// The registered builder of `type`, if any.
    static func builder(for type: String) -> (@Sendable (LayerArchitecture) throws -> any Layer)? {
        builders.withLock { $0[type] }
    }
}
