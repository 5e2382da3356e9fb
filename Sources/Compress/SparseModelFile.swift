import NN
import Tensor

/// Model files that keep pruning: a pruned model saved with its pruned weights as CSR groups
/// (see `CSRMatrix` and docs/sparse-safetensors.md) and loaded back with the same masks, so it
/// stays pruned through further training. Dense files (Trainbook's or PyTorch's) load as
/// before.
///
/// ```swift
/// try prune(model, sparsity: 0.9)
/// try SparseModelFile.save(model, to: "pruned.safetensors")     // CSR: about 5× smaller
/// let again = try SparseModelFile.loadModel(from: "pruned.safetensors")
/// again.sparsity                                                // 0.9, masks restored
/// ```
public enum SparseModelFile {
    /// Writes `model` to `path` (atomically) with its architecture, as `NN.save` does; its
    /// pruned weights (those with a mask) are stored as CSR when `sparse` is true, or when it is
    /// nil and the model has any mask. A file with CSR groups needs `loadModel(from:)` or
    /// `load(into:from:)` here (or the NumPy recipe in the docs); PyTorch reads dense files.
    ///
    /// - Parameters:
    ///   - model: The model.
    ///   - path: The file to write.
    ///   - sparse: Store pruned weights as CSR (nil: when the model is pruned).
    ///   - metadata: Extra string metadata.
    public static func save(
        _ model: any Layer, to path: String, sparse: Bool? = nil,
        metadata: [String: String] = [:]
    ) throws {
        let isPruned = model.prunableWeights.contains { $0.parameter.mask != nil }
        guard sparse ?? isPruned else {
            try NN.save(model, to: path, metadata: metadata)
            return
        }
        var allMetadata = metadata
        allMetadata[ModelFileMetadata.format] = "pt"
        if let architecture = try? model.architecture() {
            allMetadata[ModelFileMetadata.architecture] = try architecture.jsonString()
        }
        try SafeTensorsFile(tensors: model.sparseStateDict(), metadata: allMetadata).write(
            to: path)
    }

    /// Rebuilds the model saved at `path` (dense or sparse) from its recorded architecture,
    /// with the masks of its CSR-stored weights restored.
    ///
    /// - Parameters:
    ///   - path: A safetensors file written by `save(_:to:sparse:)` or `NN.save`.
    ///   - customLayers: Builders for layer types that are not built in.
    public static func loadModel(
        from path: String, customLayers: [String: LayerBuilderFunction] = [:]
    ) throws -> any Layer {
        let file = try SafeTensorsFile.read(path)
        let model = try buildModel(recordedIn: file, at: path, customLayers: customLayers)
        try load(file.tensors, into: model, strict: true)
        return model
    }

    /// Loads the weights in the file at `path` (dense or sparse) into `model`; every weight
    /// stored as CSR gets the file's structure as its pruning mask.
    public static func load(into model: any Layer, from path: String, strict: Bool = true) throws {
        try load(SafeTensorsFile.read(path).tensors, into: model, strict: strict)
    }

    /// Loads `tensors` (possibly with CSR groups) into `model`, restoring masks.
    static func load(_ tensors: [String: Tensor], into model: any Layer, strict: Bool) throws {
        let sparseNames = sparseTensorNames(in: tensors)
        guard !sparseNames.isEmpty else {
            try model.load(stateDict: tensors, strict: strict)
            return
        }
        let parameters = Dictionary(
            model.namedParameters().map { ($0.name, $0.parameter) },
            uniquingKeysWith: { first, _ in first })
        var masks: [(Parameter, Tensor)] = []
        for name in sparseNames {
            guard let parameter = parameters[name] else { continue }
            masks.append((parameter, try CSRMatrix(named: name, in: tensors).structureMask()))
        }
        // The old masks go first, so that they cannot zero weights the file keeps.
        for (parameter, _) in masks { try parameter.setMask(nil) }
        try model.load(stateDict: denseStateDict(fromSparse: tensors), strict: strict)
        for (parameter, mask) in masks where mask.shape == parameter.shape {
            try parameter.setMask(mask)
        }
    }
}
