import PNG

/// Image values and charts as PNG, through the shared encoder (module `PNG`).
extension ImagePixels {
    /// The image as PNG bytes; a grey image drawn with a colormap other than grey becomes RGB.
    ///
    /// - Throws: `PlotError` when the encoder refuses the pixels.
    func png(colormap: Colormap) throws(PlotError) -> [UInt8] {
        if channels == 1 && colormap != .grays {
            var rgb = [UInt8](repeating: 0, count: width * height * 3)
            for index in 0..<(width * height) {
                let color = colormap.color(at: Double(samples[index]) / 255)
                rgb[index * 3] = color.red
                rgb[index * 3 + 1] = color.green
                rgb[index * 3 + 2] = color.blue
            }
            return try PlotError.encodingPNG(width: width, height: height, channels: 3, rgb)
        }
        return try PlotError.encodingPNG(
            width: width, height: height, channels: channels, samples)
    }
}

extension PlotError {
    /// Encodes pixels as PNG, with the encoder's errors as Plot's.
    static func encodingPNG(
        width: Int, height: Int, channels: Int, _ samples: [UInt8], pixelsPerMeter: Int? = nil
    ) throws(PlotError) -> [UInt8] {
        do {
            return try PNGEncoder.encode(
                width: width, height: height, channels: channels, samples: samples,
                pixelsPerMeter: pixelsPerMeter)
        } catch {
            switch error {
            case .unsupportedChannelCount(let count): throw .unsupportedChannelCount(count)
            case .sizeMismatch(let width, let height, let channels, let count):
                throw .imageSizeMismatch(
                    width: width, height: height, channels: channels, count: count)
            case .compressionFailed(let code): throw .compressionFailed(code: code)
            }
        }
    }
}
