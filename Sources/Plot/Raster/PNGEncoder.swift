import CZlib

/// Writes PNG files (ISO/IEC 15948, W3C PNG 2nd edition): 8-bit grey, RGB or RGBA, each row
/// filtered with the filter that minimises the sum of absolute differences (the heuristic the
/// specification recommends), compressed with zlib's deflate, chunks checksummed with CRC-32.
enum PNGEncoder {
    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Encodes `height` rows of `width` pixels of `channels` (1, 3 or 4) samples each.
    ///
    /// - Parameter pixelsPerMeter: physical density written in a pHYs chunk (5669 is 144 dpi,
    ///   a 2x image), or nil for none.
    static func encode(
        width: Int, height: Int, channels: Int, samples: [UInt8], pixelsPerMeter: Int? = nil
    ) throws -> [UInt8] {
        let colorType: UInt8
        switch channels {
        case 1: colorType = 0
        case 3: colorType = 2
        case 4: colorType = 6
        default: throw PlotError.unsupportedChannelCount(channels)
        }
        guard width > 0, height > 0, samples.count == width * height * channels else {
            throw PlotError.imageSizeMismatch(
                width: width, height: height, channels: channels, count: samples.count)
        }
        var png = signature
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        // Bit depth 8, the colour type, deflate, adaptive filtering, no interlacing.
        header += [8, colorType, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        if let pixelsPerMeter {
            let density = bigEndian(UInt32(clamping: pixelsPerMeter))
            appendChunk("pHYs", density + density + [1], to: &png)
        }
        let filtered = filterRows(
            width: width, height: height, channels: channels, samples: samples)
        appendChunk("IDAT", try deflate(filtered), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Encodes an image value; grey images drawn with a colormap other than grey become RGB.
    static func encode(_ pixels: ImagePixels, colormap: Colormap) throws -> [UInt8] {
        if pixels.channels == 1 && colormap != .grays {
            var rgb = [UInt8](repeating: 0, count: pixels.width * pixels.height * 3)
            for index in 0..<(pixels.width * pixels.height) {
                let color = colormap.color(at: Double(pixels.samples[index]) / 255)
                rgb[index * 3] = color.red
                rgb[index * 3 + 1] = color.green
                rgb[index * 3 + 2] = color.blue
            }
            return try encode(width: pixels.width, height: pixels.height, channels: 3, samples: rgb)
        }
        return try encode(
            width: pixels.width, height: pixels.height, channels: pixels.channels,
            samples: pixels.samples)
    }

    // MARK: - Filtering

    /// Each row prefixed with its filter type (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth). The
    /// type is chosen by the specification's heuristic, the smallest sum of absolute filtered
    /// values, estimated on every fifth sample so that choosing costs less than filtering.
    static func filterRows(width: Int, height: Int, channels: Int, samples: [UInt8]) -> [UInt8] {
        let stride = width * channels
        var output = [UInt8](repeating: 0, count: (stride + 1) * height)
        samples.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for row in 0..<height {
                    let start = row * stride
                    let hasAbove = row > 0
                    var bestType = 0
                    var bestScore = Int.max
                    for type in 0..<5 {
                        var score = 0
                        for index in Swift.stride(from: 0, to: stride, by: 5) {
                            let value =
                                source[start + index]
                                &- predictor(
                                    type, source, start, index, stride, channels, hasAbove)
                            score += value < 128 ? Int(value) : 256 - Int(value)
                        }
                        if score < bestScore {
                            bestScore = score
                            bestType = type
                        }
                    }
                    let base = row * (stride + 1)
                    target[base] = UInt8(bestType)
                    for index in 0..<stride {
                        target[base + 1 + index] =
                            source[start + index]
                            &- predictor(bestType, source, start, index, stride, channels, hasAbove)
                    }
                }
            }
        }
        return output
    }

    /// The value filter `type` predicts for sample `index` of the row starting at `start`.
    @inline(__always)
    private static func predictor(
        _ type: Int, _ source: UnsafeBufferPointer<UInt8>, _ start: Int, _ index: Int,
        _ stride: Int, _ channels: Int, _ hasAbove: Bool
    ) -> UInt8 {
        let left = index >= channels ? source[start + index - channels] : 0
        let above = hasAbove ? source[start - stride + index] : 0
        switch type {
        case 1: return left
        case 2: return above
        case 3: return UInt8((Int(left) + Int(above)) / 2)
        case 4:
            let upperLeft =
                hasAbove && index >= channels ? source[start - stride + index - channels] : 0
            return paeth(left, above, upperLeft)
        default: return 0
        }
    }

    /// The Paeth predictor (Paeth, "Image file compression made easy", Graphics Gems II, 1991).
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let estimate = Int(a) + Int(b) - Int(c)
        let distanceA = abs(estimate - Int(a))
        let distanceB = abs(estimate - Int(b))
        let distanceC = abs(estimate - Int(c))
        if distanceA <= distanceB && distanceA <= distanceC { return a }
        return distanceB <= distanceC ? b : c
    }

    // MARK: - Chunks

    private static func deflate(_ data: [UInt8]) throws -> [UInt8] {
        var capacity = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = data.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                compress2(
                    destination.baseAddress, &capacity, source.baseAddress, uLong(data.count), 6)
            }
        }
        guard status == Z_OK else { throw PlotError.compressionFailed(code: status) }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        let checked = typeBytes + data
        let crc = checked.withUnsafeBufferPointer { buffer in
            crc32(0, buffer.baseAddress, uInt(buffer.count))
        }
        png += bigEndian(UInt32(truncatingIfNeeded: crc))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}
