/// The pixels of one image: 8-bit samples, rows top to bottom, channels interleaved.
///
/// One channel is grey (drawn through a colormap, `.grays` by default), three are RGB, four
/// are RGBA.
///
/// ```swift
/// let digit = try ImagePixels(width: 28, height: 28, channels: 1, values: floats)   // 0…1
/// ```
public struct ImagePixels: Sendable, Hashable {
    /// The largest width or height accepted, to keep drawing within memory.
    public static let maximumSide = 4096

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Samples per pixel: 1, 3 or 4.
    public let channels: Int
    /// `width * height * channels` samples, row by row, channels interleaved.
    public let samples: [UInt8]

    /// Creates an image from 8-bit samples.
    ///
    /// - Throws: `PlotError.invalidDimensions`, `.unsupportedChannelCount` or
    ///   `.imageSizeMismatch` when the samples do not describe such an image.
    public init(width: Int, height: Int, channels: Int, samples: [UInt8]) throws {
        try Self.validate(width: width, height: height, channels: channels, count: samples.count)
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
    }

    /// Creates an image from floating-point samples mapped from `range` to 0…255 (clamped; NaN
    /// is drawn as the low end).
    ///
    /// - Parameters:
    ///   - width: width in pixels.
    ///   - height: height in pixels.
    ///   - channels: 1, 3 or 4.
    ///   - values: `width * height * channels` samples.
    ///   - range: the values drawn as 0 and 255 (default 0…1).
    ///   - layout: `.interleaved` (height, width, channels) or `.planar` (channels, height,
    ///     width, as PyTorch stores images).
    public init<F: BinaryFloatingPoint>(
        width: Int, height: Int, channels: Int, values: [F], range: ClosedRange<Double> = 0...1,
        layout: PixelLayout = .interleaved
    ) throws {
        try Self.validate(width: width, height: height, channels: channels, count: values.count)
        let span = range.upperBound - range.lowerBound
        let scale = span > 0 && span.isFinite ? 255 / span : 0
        func byte(_ value: F) -> UInt8 {
            let scaled = (Double(value) - range.lowerBound) * scale
            guard !scaled.isNaN else { return 0 }
            return UInt8(min(max(scaled, 0), 255).rounded())
        }
        let pixelCount = width * height
        var samples = [UInt8](repeating: 0, count: values.count)
        for pixel in 0..<pixelCount {
            for channel in 0..<channels {
                let source =
                    layout == .interleaved
                    ? pixel * channels + channel : channel * pixelCount + pixel
                samples[pixel * channels + channel] = byte(values[source])
            }
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
    }

    private static func validate(width: Int, height: Int, channels: Int, count: Int) throws {
        guard (1...maximumSide).contains(width), (1...maximumSide).contains(height) else {
            throw PlotError.invalidDimensions(width: width, height: height)
        }
        guard [1, 3, 4].contains(channels) else {
            throw PlotError.unsupportedChannelCount(channels)
        }
        guard count == width * height * channels else {
            throw PlotError.imageSizeMismatch(
                width: width, height: height, channels: channels, count: count)
        }
    }

    /// The colour of the pixel at (`x`, `y`), grey images through `colormap`. Coordinates must
    /// be in range.
    func color(x: Int, y: Int, colormap: Colormap) -> Color {
        let base = (y * width + x) * channels
        switch channels {
        case 1:
            return colormap == .grays
                ? Color(red: samples[base], green: samples[base], blue: samples[base])
                : colormap.color(at: Double(samples[base]) / 255)
        case 3:
            return Color(red: samples[base], green: samples[base + 1], blue: samples[base + 2])
        default:
            return Color(
                red: samples[base], green: samples[base + 1], blue: samples[base + 2],
                opacity: Double(samples[base + 3]) / 255)
        }
    }
}

/// How the samples of a multi-channel image are ordered.
public enum PixelLayout: String, Sendable, Hashable {
    /// Height, width, channels: RGBRGB… (PNG, NumPy images, TensorFlow).
    case interleaved
    /// Channels, height, width: all red, then all green, then all blue (PyTorch).
    case planar
}
