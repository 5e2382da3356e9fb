import Cell
import Data
import Plot
import Tensor

/// Tensors and data sets as images for image grids.
///
/// Layouts follow PyTorch: [H, W] is one grey image, [C, H, W] one image with 1, 3 or 4
/// channels, [N, H, W] several grey images, [N, C, H, W] several images; channels-last
/// [H, W, C] and [N, H, W, C] (3 or 4 channels) are read too. Values in 0…1 or 0…255 are drawn
/// as such; others (normalised data) are stretched from their minimum to their maximum.
enum PlotImages {
    /// The most images one grid shows.
    static let maximumCount = 256

    /// The images a tensor holds, at most `limit`.
    ///
    /// - Throws: `CellError.invalidValue` for a shape that is not an image or a batch of them.
    static func images(from tensor: Tensor, limit: Int = maximumCount) throws -> [ImagePixels] {
        let tensor = try TensorConversion.float(tensor)
        let shape = tensor.shape
        let layout: (count: Int, height: Int, width: Int, channels: Int, order: PixelLayout)
        switch shape.count {
        case 2:
            layout = (1, shape[0], shape[1], 1, .interleaved)
        case 3 where [1, 3, 4].contains(shape[0]):
            layout = (1, shape[1], shape[2], shape[0], .planar)
        case 3 where [3, 4].contains(shape[2]) && shape[0] > 4:
            layout = (1, shape[0], shape[1], shape[2], .interleaved)
        case 3:
            layout = (shape[0], shape[1], shape[2], 1, .interleaved)
        case 4 where [1, 3, 4].contains(shape[1]):
            layout = (shape[0], shape[2], shape[3], shape[1], .planar)
        case 4 where [1, 3, 4].contains(shape[3]):
            layout = (shape[0], shape[1], shape[2], shape[3], .interleaved)
        default:
            throw CellError.invalidValue(
                "a tensor of shape \(shape) is not an image: use [H, W], [C, H, W], [N, H, W] "
                    + "or [N, C, H, W] with 1, 3 or 4 channels")
        }
        let count = min(layout.count, max(limit, 0))
        let size = layout.height * layout.width * layout.channels
        let scalars = tensor.scalars
        let shown = Array(scalars.prefix(count * size))
        let range = valueRange(shown)
        return try (0..<count).map { index in
            try ImagePixels(
                width: layout.width, height: layout.height, channels: layout.channels,
                values: Array(shown[(index * size)..<((index + 1) * size)]), range: range,
                layout: layout.order)
        }
    }

    /// The first `count` examples of a data set, without normalisation, with their labels
    /// (class indices for a classification set, else nil).
    static func examples(of set: Dataset, count: Int) throws -> (
        images: [ImagePixels], labels: [Int]?
    ) {
        let shown = min(max(count, 0), set.count, maximumCount)
        guard shown > 0 else { return ([], nil) }
        let batch = try set.unnormalized().batch(Array(0..<shown))
        let images = try images(from: batch.x, limit: shown)
        let labels = set.isClassification ? batch.y.scalars.map { Int($0) } : nil
        return (images, labels)
    }

    /// 0…1 or 0…255 when the values fit, else their own range.
    static func valueRange(_ values: [Float]) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        let low = Double(finite.min() ?? 0)
        let high = Double(finite.max() ?? 1)
        if low >= 0 && high <= 1 { return 0...1 }
        if low >= 0 && high <= 255 && high > 1 { return 0...255 }
        return high > low ? low...high : low...(low + 1)
    }
}
