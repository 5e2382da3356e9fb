/// Why pixels could not be encoded as PNG.
public enum PNGError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A channel count other than 1 (grey), 3 (RGB) or 4 (RGBA).
    case unsupportedChannelCount(Int)
    /// The samples do not fill `width × height × channels` (or a dimension is not positive).
    case sizeMismatch(width: Int, height: Int, channels: Int, count: Int)
    /// zlib's deflate failed with this status.
    case compressionFailed(code: Int32)

    /// The problem in words.
    public var description: String {
        switch self {
        case .unsupportedChannelCount(let channels):
            return "a PNG has 1, 3 or 4 channels, not \(channels)"
        case .sizeMismatch(let width, let height, let channels, let count):
            return "\(count) samples do not fill a \(width) × \(height) image of \(channels) "
                + "channels"
        case .compressionFailed(let code):
            return "zlib could not compress the image (status \(code))"
        }
    }
}
