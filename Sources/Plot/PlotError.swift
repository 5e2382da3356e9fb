/// Everything that can go wrong when building or saving a chart, a table or an image.
///
/// Messages say what was wrong and what would be accepted; `description` is the text a user sees.
public enum PlotError: Error, Sendable, Equatable {
    /// An image's pixel buffer does not match its declared width, height and channels.
    case imageSizeMismatch(width: Int, height: Int, channels: Int, count: Int)
    /// An image has a channel count other than 1 (grey), 3 (RGB) or 4 (RGBA).
    case unsupportedChannelCount(Int)
    /// An image or heatmap dimension is zero, negative or too large to draw.
    case invalidDimensions(width: Int, height: Int)
    /// Heatmap rows do not all have the same length.
    case raggedRows(expected: Int, row: Int, found: Int)
    /// Heatmap row or column labels do not match the number of rows or columns.
    case labelCountMismatch(axis: String, expected: Int, found: Int)
    /// A histogram's binning rule is unusable (zero bins, non-positive width, too many bins).
    case invalidBinning(String)
    /// Histogram edges and counts disagree (there must be one more edge than counts, increasing).
    case invalidHistogramEdges(String)
    /// Bar values do not match the number of categories.
    case barCountMismatch(series: String, expected: Int, found: Int)
    /// A file name's extension is not one a chart can be saved as.
    case unsupportedFileExtension(String)
    /// Writing a file failed.
    case writeFailed(path: String, reason: String)
    /// The data compressor (zlib) failed.
    case compressionFailed(code: Int32)
}

extension PlotError: CustomStringConvertible {
    /// The message shown to the user.
    public var description: String {
        switch self {
        case .imageSizeMismatch(let width, let height, let channels, let count):
            return "image of \(width)×\(height) with \(channels) channel(s) needs "
                + "\(width * height * channels) values, got \(count)"
        case .unsupportedChannelCount(let channels):
            return "images need 1 (grey), 3 (RGB) or 4 (RGBA) channels, got \(channels)"
        case .invalidDimensions(let width, let height):
            return "cannot draw a \(width)×\(height) grid: both sides must be between 1 and "
                + "\(ImagePixels.maximumSide)"
        case .raggedRows(let expected, let row, let found):
            return "heatmap rows must all have \(expected) values; row \(row) has \(found)"
        case .labelCountMismatch(let axis, let expected, let found):
            return "\(axis) labels: expected \(expected), got \(found)"
        case .invalidBinning(let reason):
            return "invalid histogram bins: \(reason)"
        case .invalidHistogramEdges(let reason):
            return "invalid histogram edges: \(reason)"
        case .barCountMismatch(let series, let expected, let found):
            return "bar series \(series) has \(found) values for \(expected) categories"
        case .unsupportedFileExtension(let fileExtension):
            let shown = fileExtension.isEmpty ? "no extension" : "'.\(fileExtension)'"
            return "cannot save a chart with \(shown): use a name ending in .svg or .png"
        case .writeFailed(let path, let reason):
            return "could not write \(path): \(reason)"
        case .compressionFailed(let code):
            return "zlib failed to compress the image (code \(code))"
        }
    }
}
