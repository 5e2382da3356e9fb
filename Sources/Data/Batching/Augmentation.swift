import Tensor

/// A random image transform applied to each batch as it is made, the regularization of data
/// augmentation (Simard, Steinkraus & Platt, 2003, "Best Practices for Convolutional Neural
/// Networks Applied to Visual Document Analysis").
///
/// Each example of a batch draws its own shift, flip and noise from the batch's generator, so
/// a seed makes an epoch reproducible. Shifts and flips need images ([channels, height, width]);
/// noise works on any features.
///
/// ```swift
/// let batches = try data.train.batches(
///     of: 128, shuffled: true, augmentations: [.randomShift(pixels: 2), .gaussianNoise(0.05)])
/// ```
public enum Augmentation: Sendable, Equatable, CustomStringConvertible {
    /// Moves each image by a whole number of pixels drawn uniformly in `-pixels...pixels`
    /// along each axis, filling the uncovered border with black (a zero pixel). The same as
    /// torchvision's `RandomCrop(size, padding: pixels)`.
    case randomShift(pixels: Int)
    /// Mirrors each image left to right with the given probability.
    case horizontalFlip(probability: Float)
    /// Adds Gaussian noise with this standard deviation (in the batch's units) to every value.
    case gaussianNoise(Float)

    /// A horizontal flip of half the images.
    public static var horizontalFlip: Augmentation { .horizontalFlip(probability: 0.5) }

    /// Zero padding of `padding` pixels on every side, then a random crop back to the original
    /// size: the same transform as `randomShift(pixels: padding)`.
    public static func randomCrop(padding: Int) -> Augmentation { .randomShift(pixels: padding) }

    /// "randomShift(pixels: 2)".
    public var description: String {
        switch self {
        case .randomShift(let pixels): return "randomShift(pixels: \(pixels))"
        case .horizontalFlip(let probability): return "horizontalFlip(probability: \(probability))"
        case .gaussianNoise(let deviation): return "gaussianNoise(\(deviation))"
        }
    }

    /// Checks the transform's argument and that it fits examples of `elementShape`.
    func validate(for elementShape: [Int]) throws(DataError) {
        switch self {
        case .randomShift(let pixels):
            guard pixels >= 0, pixels <= 1 << 16 else {
                throw .invalidArgument(
                    operation: "randomShift", message: "pixels must be ≥ 0, got \(pixels)")
            }
        case .horizontalFlip(let probability):
            guard probability >= 0, probability <= 1 else {
                throw .invalidArgument(
                    operation: "horizontalFlip",
                    message: "probability must lie in [0, 1], got \(probability)")
            }
        case .gaussianNoise(let deviation):
            guard deviation >= 0, deviation.isFinite else {
                throw .invalidArgument(
                    operation: "gaussianNoise",
                    message: "the standard deviation must be finite and ≥ 0, got \(deviation)")
            }
            return
        }
        guard elementShape.count == 3 else {
            throw .incompatible(
                operation: "\(self)",
                message: "needs images of shape [channels, height, width], got \(elementShape)")
        }
    }
}

// MARK: - Applying to a tensor

extension Augmentation {
    /// Applies `augmentations` in order to a batch of images `x` [B, C, H, W] (or, for noise
    /// only, any [B, …]), drawing from `generator`; the border a shift uncovers becomes 0.
    ///
    /// ```swift
    /// var rng = RandomGenerator(seed: 1)
    /// let jittered = try Augmentation.apply([.randomShift(pixels: 2)], to: x, using: &rng)
    /// ```
    public static func apply(
        _ augmentations: [Augmentation], to x: Tensor, using generator: inout RandomGenerator
    ) throws(DataError) -> Tensor {
        guard x.dtype == .float32, x.rank >= 2 else {
            throw .incompatible(
                operation: "Augmentation.apply",
                message: "needs a float32 batch [B, …], got \(x.dtype) \(x.shape)")
        }
        let elementShape = Array(x.shape.dropFirst())
        for augmentation in augmentations { try augmentation.validate(for: elementShape) }
        var values = x.scalars
        let channels = elementShape.count == 3 ? elementShape[0] : 1
        var augmenter = Augmenter(
            elementShape: elementShape, fill: [Float](repeating: 0, count: channels))
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            augmenter.apply(
                augmentations, to: base, batchSize: x.shape[0], generator: &generator)
        }
        return try tensorOperation { () throws(TensorError) in
            try Tensor(values, shape: x.shape)
        }
    }
}

// MARK: - The kernels

/// Applies augmentations in place to a batch buffer, reusing one scratch channel for shifts.
struct Augmenter {
    let elementShape: [Int]
    /// The value a black pixel has in each channel of the batch (0, or its normalised value).
    let fill: [Float]
    private var scratch: [Float] = []

    init(elementShape: [Int], fill: [Float]) {
        self.elementShape = elementShape
        self.fill = fill
    }

    mutating func apply(
        _ augmentations: [Augmentation], to batch: UnsafeMutablePointer<Float>, batchSize: Int,
        generator: inout RandomGenerator
    ) {
        let size = elementShape.reduce(1, *)
        for augmentation in augmentations {
            for example in 0..<batchSize {
                let start = batch + example * size
                switch augmentation {
                case .randomShift(let pixels):
                    let span = UInt64(2 * pixels + 1)
                    let dy = Int(generator.next() % span) - pixels
                    let dx = Int(generator.next() % span) - pixels
                    shift(start, dy: dy, dx: dx)
                case .horizontalFlip(let probability):
                    if generator.nextUniform() < probability { flip(start) }
                case .gaussianNoise(let deviation):
                    for index in 0..<size { start[index] += deviation * generator.nextNormal() }
                }
            }
        }
    }

    /// Moves every channel of one image down by `dy` and right by `dx` pixels.
    private mutating func shift(_ image: UnsafeMutablePointer<Float>, dy: Int, dx: Int) {
        guard dy != 0 || dx != 0 else { return }
        let (channels, height, width) = (elementShape[0], elementShape[1], elementShape[2])
        let plane = height * width
        if scratch.count < plane { scratch = [Float](repeating: 0, count: plane) }
        scratch.withUnsafeMutableBufferPointer { copyBuffer in
            guard let copy = copyBuffer.baseAddress else { return }
            for channel in 0..<channels {
                let target = image + channel * plane
                copy.update(from: target, count: plane)
                let background = fill[min(channel, fill.count - 1)]
                target.update(repeating: background, count: plane)
                let firstRow = max(0, dy)
                let lastRow = min(height, height + dy)
                let firstColumn = max(0, dx)
                let lastColumn = min(width, width + dx)
                guard firstRow < lastRow, firstColumn < lastColumn else { continue }
                for row in firstRow..<lastRow {
                    (target + row * width + firstColumn).update(
                        from: copy + (row - dy) * width + (firstColumn - dx),
                        count: lastColumn - firstColumn)
                }
            }
        }
    }

    /// Mirrors every row of every channel of one image.
    private func flip(_ image: UnsafeMutablePointer<Float>) {
        let rows = elementShape[0] * elementShape[1]
        let width = elementShape[2]
        for row in 0..<rows {
            var pixels = UnsafeMutableBufferPointer(start: image + row * width, count: width)
            pixels.reverse()
        }
    }
}
