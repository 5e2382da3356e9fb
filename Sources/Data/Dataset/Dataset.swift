import Tensor

/// An in-memory data set: examples with a fixed shape and their targets, a class index
/// (classification) or Float values (regression).
///
/// A data set is a reference object. Images stay as bytes and become Float32 one batch at a
/// time; `prefix`, `subset`, `shuffled`, `split` and `filtered` return views that share the
/// stored examples, so they are cheap.
///
/// ```swift
/// let data = try FashionMNIST()
/// let small = data.train.prefix(2_000)
/// for (x, y) in try small.batches(of: 128, shuffled: true) { … }   // x [128, 1, 28, 28], y [128]
/// ```
public final class Dataset: Sendable {
    let features: FeatureStore
    let targets: TargetStore
    /// The storage rows this data set is made of, in order.
    let rows: [Int]
    /// A name for displays ("Fashion-MNIST train").
    public let name: String
    /// The per-channel standardisation applied to every batch, if any.
    public let normalization: Normalization?

    init(
        features: FeatureStore, targets: TargetStore, rows: [Int], name: String,
        normalization: Normalization?
    ) {
        self.features = features
        self.targets = targets
        self.rows = rows
        self.name = name
        self.normalization = normalization
    }

    /// A view of the same examples with other rows, name or normalisation.
    func view(rows: [Int], name: String? = nil, normalization: Normalization?? = nil) -> Dataset {
        Dataset(
            features: features, targets: targets, rows: rows, name: name ?? self.name,
            normalization: normalization ?? self.normalization)
    }
}

// MARK: - Facts

extension Dataset {
    /// The number of examples.
    public var count: Int { rows.count }

    /// The shape of one example: [channels, height, width] for images (1 channel for MNIST),
    /// [features] for tables.
    public var elementShape: [Int] { features.elementShape }

    /// Whether the targets are class indices (otherwise they are Float values to regress).
    public var isClassification: Bool {
        if case .classes = targets.values { return true }
        return false
    }

    /// The class names, indexed by class ("T-shirt/top", "Trouser", …); empty for regression.
    public var classNames: [String] { targets.classNames }

    /// The name of each feature, for tables read from CSV (`["sepal_length", …,
    /// "color=red"]`); empty otherwise.
    public var featureNames: [String] { features.names }

    /// The number of classes (0 for regression).
    public var classCount: Int { targets.classNames.count }

    /// Target values per example: 1 for classification, k for a regression to k values.
    public var targetWidth: Int {
        switch targets.values {
        case .classes: return 1
        case .values(_, let width): return width
        }
    }

    /// The class index of every example, in order (empty for regression).
    public var labels: [Int32] {
        guard case .classes(let all) = targets.values else { return [] }
        return rows.map { all[$0] }
    }

    /// How many examples each class has, indexed by class (empty for regression).
    public var classCounts: [Int] {
        guard case .classes(let all) = targets.values else { return [] }
        var counts = [Int](repeating: 0, count: classCount)
        for row in rows {
            let label = Int(all[row])
            if counts.indices.contains(label) { counts[label] += 1 }
        }
        return counts
    }
}

// MARK: - Making data sets from arrays and tensors

extension Dataset {
    /// A classification set of byte images (or any byte features), each byte meaning
    /// `byte / divisor` (by default 255, so pixels lie in [0, 1] as with torchvision's
    /// `ToTensor`).
    ///
    /// ```swift
    /// let tiny = try Dataset(
    ///     images: pixels, elementShape: [1, 28, 28], labels: labels,
    ///     classNames: (0..<10).map(String.init), name: "digits")
    /// ```
    /// - Parameters:
    ///   - images: the bytes of every example, row after row.
    ///   - elementShape: the shape of one example, [channels, height, width] for images.
    ///   - labels: one class index per example, in `0..<classNames.count`.
    ///   - classNames: the names of the classes; nil names them "0", "1", … up to the largest
    ///     label.
    public convenience init(
        images: [UInt8], elementShape: [Int], labels: [Int32], classNames: [String]? = nil,
        divisor: Float = 255, name: String = "data set"
    ) throws(DataError) {
        guard divisor.isNormal, divisor > 0 else {
            throw .invalidArgument(
                operation: "Dataset", message: "divisor must be positive, got \(divisor)")
        }
        let size = try Self.elementSize(of: elementShape, examples: labels.count)
        try Self.checkCount(images.count, size: size, examples: labels.count, what: "image bytes")
        try self.init(
            features: FeatureStore(
                values: .bytes(images, divisor: divisor), elementShape: elementShape,
                elementSize: size, rowCount: labels.count),
            labels: labels, classNames: classNames, name: name)
    }

    /// A classification set of Float32 features.
    ///
    /// ```swift
    /// let xor = try Dataset(features: [0, 0, 0, 1, 1, 0, 1, 1], elementShape: [2],
    ///                       labels: [0, 1, 1, 0])
    /// ```
    public convenience init(
        features: [Float], elementShape: [Int], labels: [Int32], classNames: [String]? = nil,
        name: String = "data set"
    ) throws(DataError) {
        let size = try Self.elementSize(of: elementShape, examples: labels.count)
        try Self.checkCount(features.count, size: size, examples: labels.count, what: "features")
        try self.init(
            features: FeatureStore(
                values: .floats(features), elementShape: elementShape, elementSize: size,
                rowCount: labels.count),
            labels: labels, classNames: classNames, name: name)
    }

    /// A regression set: Float32 features and `targetWidth` Float32 targets per example.
    ///
    /// ```swift
    /// let line = try Dataset(features: [0, 1, 2], elementShape: [1], targets: [1, 3, 5])
    /// ```
    public convenience init(
        features: [Float], elementShape: [Int], targets: [Float], targetWidth: Int = 1,
        name: String = "data set"
    ) throws(DataError) {
        guard targetWidth >= 1 else {
            throw .invalidArgument(
                operation: "Dataset", message: "targetWidth must be at least 1, got \(targetWidth)")
        }
        guard targets.count % targetWidth == 0 else {
            throw .invalidArgument(
                operation: "Dataset",
                message: "\(targets.count) targets do not divide into rows of \(targetWidth)")
        }
        let examples = targets.count / targetWidth
        let size = try Self.elementSize(of: elementShape, examples: examples)
        try Self.checkCount(features.count, size: size, examples: examples, what: "features")
        self.init(
            features: FeatureStore(
                values: .floats(features), elementShape: elementShape, elementSize: size,
                rowCount: examples),
            targets: TargetStore(values: .values(targets, width: targetWidth), classNames: []),
            rows: Array(0..<examples), name: name, normalization: nil)
    }

    /// A data set from tensors: `features` [N, …] (float32, or uint8 divided by 255) and
    /// `labels` int32 [N] (classification) or float32 [N] or [N, k] (regression).
    ///
    /// ```swift
    /// let set = try Dataset(features: x, labels: y)   // x [100, 2], y int32 [100]
    /// ```
    public convenience init(
        features: Tensor, labels: Tensor, classNames: [String]? = nil, name: String = "data set"
    ) throws(DataError) {
        guard features.rank >= 2, labels.rank >= 1, labels.rank <= 2,
            features.shape[0] == labels.shape[0]
        else {
            throw .incompatible(
                operation: "Dataset",
                message: "features \(features.shape) and labels \(labels.shape) must be [N, …] "
                    + "and [N] or [N, k] with the same N")
        }
        let elementShape = Array(features.shape.dropFirst())
        switch (features.dtype, labels.dtype, labels.rank) {
        case (.uint8, .int32, 1):
            let (bytes, classes) = try tensorOperation { () throws(TensorError) in
                (try features.scalars(as: UInt8.self), try labels.scalars(as: Int32.self))
            }
            try self.init(
                images: bytes, elementShape: elementShape, labels: classes,
                classNames: classNames, name: name)
        case (.float32, .int32, 1):
            let classes = try tensorOperation { () throws(TensorError) in
                try labels.scalars(as: Int32.self)
            }
            try self.init(
                features: features.scalars, elementShape: elementShape, labels: classes,
                classNames: classNames, name: name)
        case (.float32, .float32, _):
            try self.init(
                features: features.scalars, elementShape: elementShape, targets: labels.scalars,
                targetWidth: labels.rank == 2 ? labels.shape[1] : 1, name: name)
        default:
            throw .incompatible(
                operation: "Dataset",
                message: "features must be float32 or uint8 and labels int32 (classes) or "
                    + "float32 (regression), got \(features.dtype) and \(labels.dtype) "
                    + "\(labels.shape)")
        }
    }

    /// A classification set over `features`, checking every label against the class names.
    convenience init(
        features: FeatureStore, labels: [Int32], classNames: [String]?, name: String
    ) throws(DataError) {
        let largest = Int(labels.max() ?? -1)
        let names = classNames ?? (0...max(largest, 0)).map(String.init)
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= names.count }) {
            throw .invalidArgument(
                operation: "Dataset",
                message: "label \(bad) is outside the \(names.count) classes 0..<\(names.count)")
        }
        self.init(
            features: features,
            targets: TargetStore(values: .classes(labels), classNames: names),
            rows: Array(0..<labels.count), name: name, normalization: nil)
    }

    private static func elementSize(of shape: [Int], examples: Int) throws(DataError) -> Int {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument(
                operation: "Dataset",
                message: "elementShape \(shape) must have at least one axis, all positive")
        }
        var size = 1
        for dimension in shape {
            let (product, overflow) = size.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw .invalidArgument(
                    operation: "Dataset", message: "elementShape \(shape) is too large")
            }
            size = product
        }
        return size
    }

    private static func checkCount(_ count: Int, size: Int, examples: Int, what: String)
        throws(DataError)
    {
        let (expected, overflow) = size.multipliedReportingOverflow(by: examples)
        guard !overflow, count == expected else {
            throw .incompatible(
                operation: "Dataset",
                message: "\(count) \(what) do not make \(examples) examples of \(size) values")
        }
    }
}
