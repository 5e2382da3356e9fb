import PNG

/// Trainbook's logo, drawn in code at any size: a small neural network (2-3-2 nodes with their
/// connections) in white on an orange rounded square, anti-aliased by 4x4 supersampling.
enum KernelLogo {
    /// The logo as PNG bytes, `size` pixels square (empty if the encoder refuses the size).
    static func png(size: Int) -> [UInt8] {
        (try? PNGEncoder.encode(width: size, height: size, channels: 4, samples: pixels(size: size)))
            ?? []
    }

    /// Node centres in a unit square, by layer.
    private static let layers: [[(Double, Double)]] = [
        [(0.24, 0.35), (0.24, 0.65)],
        [(0.5, 0.24), (0.5, 0.5), (0.5, 0.76)],
        [(0.76, 0.35), (0.76, 0.65)],
    ]

    private static let edges: [((Double, Double), (Double, Double))] = {
        var edges: [((Double, Double), (Double, Double))] = []
        for (left, right) in zip(layers, layers.dropFirst()) {
            for from in left { for to in right { edges.append((from, to)) } }
        }
        return edges
    }()

    /// RGBA pixels, row by row.
    static func pixels(size: Int) -> [UInt8] {
        let samples = 4
        var rgba = [UInt8](repeating: 0, count: size * size * 4)
        for y in 0..<size {
            for x in 0..<size {
                var background = 0.0
                var white = 0.0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let u = (Double(x) + (Double(sx) + 0.5) / Double(samples)) / Double(size)
                        let v = (Double(y) + (Double(sy) + 0.5) / Double(samples)) / Double(size)
                        guard insideRoundedSquare(u, v) else { continue }
                        background += 1
                        if onNetwork(u, v) { white += 1 }
                    }
                }
                let total = Double(samples * samples)
                let alpha = background / total
                let whiteShare = background > 0 ? white / background : 0
                // Orange #F05138 blended toward white where the network is drawn.
                let colour = [240.0, 81.0, 56.0].map { $0 + (255 - $0) * whiteShare }
                let offset = (y * size + x) * 4
                rgba[offset] = UInt8(colour[0].rounded())
                rgba[offset + 1] = UInt8(colour[1].rounded())
                rgba[offset + 2] = UInt8(colour[2].rounded())
                rgba[offset + 3] = UInt8((alpha * 255).rounded())
            }
        }
        return rgba
    }

    private static func insideRoundedSquare(_ u: Double, _ v: Double) -> Bool {
        let radius = 0.2
        let dx = max(radius - u, u - (1 - radius), 0)
        let dy = max(radius - v, v - (1 - radius), 0)
        return dx * dx + dy * dy <= radius * radius
    }

    private static func onNetwork(_ u: Double, _ v: Double) -> Bool {
        for layer in layers {
            for (cx, cy) in layer where (u - cx) * (u - cx) + (v - cy) * (v - cy) <= 0.075 * 0.075 {
                return true
            }
        }
        return edges.contains { distance(u, v, to: $0) <= 0.022 }
    }

    /// Distance from (u, v) to the segment `edge`.
    private static func distance(
        _ u: Double, _ v: Double, to edge: ((Double, Double), (Double, Double))
    ) -> Double {
        let ((x1, y1), (x2, y2)) = edge
        let dx = x2 - x1
        let dy = y2 - y1
        let t = max(0, min(1, ((u - x1) * dx + (v - y1) * dy) / (dx * dx + dy * dy)))
        let px = x1 + t * dx - u
        let py = y1 + t * dy - v
        return (px * px + py * py).squareRoot()
    }
}
