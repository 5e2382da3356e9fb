// The immutable arrays behind data sets. Subsets, shuffles and splits are views (a list of rows)
// over the same stores, so taking a 2,000-image subset of Fashion-MNIST copies no pixels.

/// The features of every example, row after row, held compactly.
final class FeatureStore: Sendable {
    /// How the values are held.
    enum Values: Sendable {
        /// Bytes, each meaning `byte / divisor` (images: 255 gives [0, 1], as torchvision's
        /// `ToTensor`).
        case bytes([UInt8], divisor: Float)
        /// Float32 values as they are (CSV columns, synthetic sets).
        case floats([Float])
    }

    let values: Values
    /// The shape of one example: [channels, height, width] for images, [features] for tables.
    let elementShape: [Int]
    /// Elements per example (the product of `elementShape`).
    let elementSize: Int
    /// Examples held.
    let rowCount: Int
    /// The name of each feature of a table ([F] elements), empty for images.
    let names: [String]

    init(
        values: Values, elementShape: [Int], elementSize: Int, rowCount: Int,
        names: [String] = []
    ) {
        self.values = values
        switch values {
        case .bytes(let bytes, _): bytes.withUnsafeBytes { adviseHugePages($0) }
        case .floats(let floats): floats.withUnsafeBytes { adviseHugePages($0) }
        }
        self.elementShape = elementShape
        self.elementSize = elementSize
        self.rowCount = rowCount
        self.names = names
    }

    /// The number of channels normalisation works per: the first axis of an image
    /// ([C, H, W], or [C, L] for signals, as PyTorch lays them out), or every feature of a
    /// table ([F]).
    var channelCount: Int {
        elementShape.count >= 2 ? elementShape[0] : elementSize
    }
}

/// The target of every example, in the same row order as its `FeatureStore`.
final class TargetStore: Sendable {
    /// How the targets are held.
    enum Values: Sendable {
        /// One class index per example (classification).
        case classes([Int32])
        /// `width` Float32 values per example (regression).
        case values([Float], width: Int)
    }

    let values: Values
    /// Names of the classes, indexed by class (empty for regression).
    let classNames: [String]

    init(values: Values, classNames: [String]) {
        self.values = values
        self.classNames = classNames
    }

    /// The class of storage row `row` (classification only).
    func classIndex(ofRow row: Int) -> Int32? {
        guard case .classes(let labels) = values, labels.indices.contains(row) else { return nil }
        return labels[row]
    }
}
