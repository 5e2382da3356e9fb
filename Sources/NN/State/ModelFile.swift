import Tensor

// Models on disk: the state dict in a safetensors file (names and layouts as PyTorch's, so
// `safetensors.torch.load_file` + `load_state_dict` reads it into the equivalent torch model),
// with the architecture as JSON in `__metadata__` so `loadModel(from:)` can rebuild the model.

/// The `__metadata__` keys of a Trainbook model file.
public enum ModelFileMetadata {
    /// The architecture as `LayerArchitecture` JSON.
    public static let architecture = "trainbook.architecture"
    /// The tensor convention, "pt" as Hugging Face writes for PyTorch layouts.
    public static let format = "format"
}

/// Saves `model`'s state dict to a safetensors file at `path`, atomically, with its
/// architecture in the metadata when the model can describe it (every built-in layer can).
///
/// ```swift
/// try save(model, to: "mlp.safetensors")
/// let again = try loadModel(from: "mlp.safetensors")
/// ```
///
/// - Parameters:
///   - model: The model.
///   - path: The file to write (replaced if it exists).
///   - metadata: Extra string metadata to record (for example the accuracy reached).
public func save(_ model: any Layer, to path: String, metadata: [String: String] = [:]) throws {
    var allMetadata = metadata
    allMetadata[ModelFileMetadata.format] = "pt"
    if let architecture = try? model.architecture() {
        allMetadata[ModelFileMetadata.architecture] = try architecture.jsonString()
    }
    try SafeTensorsFile(tensors: model.stateDict(), metadata: allMetadata).write(to: path)
}

/// Rebuilds the model saved at `path` by `save(_:to:)`: its architecture from the metadata,
/// then its weights (checked strictly: names, shapes and dtypes).
///
/// - Parameters:
///   - path: A safetensors file written by `save(_:to:)`.
///   - customLayers: Builders for layer types that are not built in.
/// - Throws: `NNError.fileError` when the file has no architecture (a state dict saved by
///   PyTorch: build the model in code and use `load(from:)`), `SafeTensorsError` for a
///   corrupt or truncated file.
public func loadModel(
    from path: String, customLayers: [String: LayerBuilderFunction] = [:]
) throws -> any Layer {
    let file = try SafeTensorsFile.read(path)
    let model = try buildModel(recordedIn: file, at: path, customLayers: customLayers)
    try model.load(stateDict: file.tensors)
    return model
}

/// The model whose architecture `file` (read from `path`) records, with fresh weights: the
/// first half of `loadModel(from:)`, for loaders that put the weights in themselves.
///
/// - Throws: `NNError.fileError` when the file records no architecture.
public func buildModel(
    recordedIn file: SafeTensorsFile, at path: String,
    customLayers: [String: LayerBuilderFunction] = [:]
) throws -> any Layer {
    guard let json = file.metadata[ModelFileMetadata.architecture] else {
        throw NNError.fileError(
            path: path,
            message: "the file records no architecture (it holds only a state dict); build the "
                + "model in code and call model.load(from:)")
    }
    return try LayerArchitecture(json: json).build(customLayers: customLayers)
}

extension Layer {
    /// Loads the state dict in the safetensors file at `path` (saved by Trainbook or by
    /// `safetensors.torch.save_file(model.state_dict(), path)` for the equivalent torch model).
    ///
    /// ```swift
    /// try model.load(from: "torch_mlp.safetensors")
    /// ```
    ///
    /// - Throws: `NNError.stateDictMismatch` naming every difference, `SafeTensorsError` for a
    ///   corrupt file.
    public func load(from path: String, strict: Bool = true) throws {
        try load(stateDict: SafeTensorsFile.read(path).tensors, strict: strict)
    }

    /// Saves this model to `path` (see `save(_:to:metadata:)`).
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        try NN.save(self, to: path, metadata: metadata)
    }
}
