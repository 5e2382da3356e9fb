/// An opaque RGB image in device pixels that coverage masks and images are blended onto.
///
/// Blending is "source over" in sRGB, as browsers blend SVG, so that the PNG matches the SVG.
struct Canvas {
    let width: Int
    let height: Int
    /// `width * height * 3` samples, rows top to bottom.
    private(set) var samples: [UInt8]

    init(width: Int, height: Int, background: Color) {
        self.width = max(width, 1)
        self.height = max(height, 1)
        let count = self.width * self.height * 3
        if background.red == background.green && background.green == background.blue {
            samples = [UInt8](repeating: background.red, count: count)
        } else {
            var samples = [UInt8](repeating: 0, count: count)
            for index in 0..<(self.width * self.height) {
                samples[index * 3] = background.red
                samples[index * 3 + 1] = background.green
                samples[index * 3 + 2] = background.blue
            }
            self.samples = samples
        }
    }

    /// Paints `color` through `mask`.
    mutating func blend(_ mask: CoverageMask, color: Color) {
        let opacity = Float(color.opacity)
        guard opacity > 0 else { return }
        let red = Float(color.red)
        let green = Float(color.green)
        let blue = Float(color.blue)
        let canvasWidth = width
        let maskWidth = mask.width
        samples.withUnsafeMutableBufferPointer { pixels in
            mask.coverage.withUnsafeBufferPointer { coverage in
                for row in 0..<mask.height {
                    let rowBase = ((mask.minY + row) * canvasWidth + mask.minX) * 3
                    for column in 0..<maskWidth {
                        let alpha = coverage[row * maskWidth + column] * opacity
                        guard alpha > 0.002 else { continue }
                        let index = rowBase + column * 3
                        pixels[index] = Self.mix(pixels[index], red, alpha)
                        pixels[index + 1] = Self.mix(pixels[index + 1], green, alpha)
                        pixels[index + 2] = Self.mix(pixels[index + 2], blue, alpha)
                    }
                }
            }
        }
    }

    /// Draws `image` scaled into `frame` (device pixels) with nearest-neighbour sampling.
    mutating func draw(_ image: ImagePixels, frame: Rect, colormap: Colormap) {
        guard frame.width > 0, frame.height > 0, frame.x.isFinite, frame.y.isFinite,
            frame.width.isFinite, frame.height.isFinite
        else { return }
        let left = max(Int(frame.minX.rounded()), 0)
        let top = max(Int(frame.minY.rounded()), 0)
        let right = min(Int(frame.maxX.rounded()), width)
        let bottom = min(Int(frame.maxY.rounded()), height)
        guard left < right, top < bottom else { return }
        // Each source pixel's colour once, then a lookup per device pixel.
        var colors = [Float](repeating: 0, count: image.width * image.height * 4)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let color = image.color(x: x, y: y, colormap: colormap)
                let index = (y * image.width + x) * 4
                colors[index] = Float(color.red)
                colors[index + 1] = Float(color.green)
                colors[index + 2] = Float(color.blue)
                colors[index + 3] = Float(color.opacity)
            }
        }
        let scaleX = Double(image.width) / frame.width
        let scaleY = Double(image.height) / frame.height
        let columns = (left..<right).map { x in
            min(max(Int((Double(x) + 0.5 - frame.minX) * scaleX), 0), image.width - 1)
        }
        let canvasWidth = width
        samples.withUnsafeMutableBufferPointer { pixels in
            for y in top..<bottom {
                let sourceY = min(
                    max(Int((Double(y) + 0.5 - frame.minY) * scaleY), 0), image.height - 1)
                let sourceRow = sourceY * image.width
                for (offset, sourceX) in columns.enumerated() {
                    let source = (sourceRow + sourceX) * 4
                    let alpha = colors[source + 3]
                    let index = (y * canvasWidth + left + offset) * 3
                    pixels[index] = Self.mix(pixels[index], colors[source], alpha)
                    pixels[index + 1] = Self.mix(pixels[index + 1], colors[source + 1], alpha)
                    pixels[index + 2] = Self.mix(pixels[index + 2], colors[source + 2], alpha)
                }
            }
        }
    }

    @inline(__always)
    private static func mix(_ destination: UInt8, _ source: Float, _ alpha: Float) -> UInt8 {
        let value = Float(destination) + (source - Float(destination)) * min(alpha, 1)
        return UInt8(min(max(value + 0.5, 0), 255))
    }
}
