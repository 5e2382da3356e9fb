/// How much of each device pixel a shape covers, 0…1, over the shape's bounding box: the
/// anti-aliasing step between geometry and colour.
///
/// Fills use exact signed-area accumulation: every polygon edge adds, row by row, the area it
/// leaves to its right, and a running sum along the row gives the coverage (the method of
/// Levien's font-rs, "Inside the fastest font renderer in the world", 2016; overlapping
/// same-direction contours add up and are clamped to 1, i.e. the non-zero rule). Strokes use
/// the distance from each pixel centre to the nearest segment, coverage = radius + ½ − distance
/// clamped to 0…1: round joins and caps come for free, and a polyline's segments unite without
/// seams or double-darkened joins. The buffers are kept and reused from shape to shape.
struct CoverageMask {
    /// The covered box in device pixels: columns `minX..<minX + width`, rows likewise.
    private(set) var minX = 0
    private(set) var minY = 0
    private(set) var width = 0
    private(set) var height = 0
    private(set) var coverage: [Float] = []
    private var accumulation: [Float] = []

    /// Prepares an empty mask over the box `x0…x1` × `y0…y1` (device pixels) clipped to a
    /// canvas of `canvasWidth` × `canvasHeight`; false when nothing of it is visible.
    mutating func reset(
        x0: Double, y0: Double, x1: Double, y1: Double, canvasWidth: Int, canvasHeight: Int
    ) -> Bool {
        guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite else { return false }
        let left = Int(max(x0.rounded(.down), 0))
        let top = Int(max(y0.rounded(.down), 0))
        let right = Int(min(x1.rounded(.up), Double(canvasWidth)))
        let bottom = Int(min(y1.rounded(.up), Double(canvasHeight)))
        guard right > left, bottom > top else { return false }
        minX = left
        minY = top
        width = right - left
        height = bottom - top
        let count = width * height
        if coverage.count < count { coverage = [Float](repeating: 0, count: count) }
        coverage.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<count { buffer[index] = 0 }
        }
        return true
    }

    // MARK: - Strokes

    /// Unites a capsule: the points within `radius` of the segment `a`–`b` (device pixels).
    mutating func addCapsule(_ a: Point, _ b: Point, radius: Double) {
        guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite, radius.isFinite else {
            return
        }
        let reach = radius + 1
        let dx = b.x - a.x
        let dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let rowStart = max(Int((min(a.y, b.y) - reach).rounded(.down)) - minY, 0)
        let rowEnd = min(Int((max(a.y, b.y) + reach).rounded(.up)) - minY, height)
        guard rowStart < rowEnd else { return }
        let width = self.width
        let originX = Double(minX)
        let originY = Double(minY)
        coverage.withUnsafeMutableBufferPointer { buffer in
            for row in rowStart..<rowEnd {
                let py = originY + Double(row) + 0.5
                // The columns this row of the capsule can touch.
                var spanLeft = min(a.x, b.x) - reach
                var spanRight = max(a.x, b.x) + reach
                if abs(dy) > 1e-9 {
                    let t0 = min(max((py - reach - a.y) / dy, 0), 1)
                    let t1 = min(max((py + reach - a.y) / dy, 0), 1)
                    let slack = reach * (lengthSquared.squareRoot() / abs(dy))
                    let x0 = a.x + t0 * dx
                    let x1 = a.x + t1 * dx
                    spanLeft = max(spanLeft, min(x0, x1) - slack)
                    spanRight = min(spanRight, max(x0, x1) + slack)
                }
                let columnStart = max(Int((spanLeft - originX).rounded(.down)), 0)
                let columnEnd = min(Int((spanRight - originX).rounded(.up)), width)
                guard columnStart < columnEnd else { continue }
                for column in columnStart..<columnEnd {
                    let px = originX + Double(column) + 0.5
                    var t = 0.0
                    if lengthSquared > 0 {
                        t = min(max(((px - a.x) * dx + (py - a.y) * dy) / lengthSquared, 0), 1)
                    }
                    let ex = px - (a.x + t * dx)
                    let ey = py - (a.y + t * dy)
                    let distance = (ex * ex + ey * ey).squareRoot()
                    let value = Float(min(max(radius + 0.5 - distance, 0), 1))
                    let index = row * width + column
                    if value > buffer[index] { buffer[index] = value }
                }
            }
        }
    }

    /// Unites a ring: the points within `halfWidth` of the circle of `radius` about `center`.
    mutating func addRing(center: Point, radius: Double, halfWidth: Double) {
        guard center.x.isFinite, center.y.isFinite, radius.isFinite, halfWidth.isFinite else {
            return
        }
        let reach = radius + halfWidth + 1
        let rowStart = max(Int((center.y - reach).rounded(.down)) - minY, 0)
        let rowEnd = min(Int((center.y + reach).rounded(.up)) - minY, height)
        let columnStart = max(Int((center.x - reach).rounded(.down)) - minX, 0)
        let columnEnd = min(Int((center.x + reach).rounded(.up)) - minX, width)
        guard rowStart < rowEnd, columnStart < columnEnd else { return }
        let width = self.width
        for row in rowStart..<rowEnd {
            let py = Double(minY + row) + 0.5 - center.y
            for column in columnStart..<columnEnd {
                let px = Double(minX + column) + 0.5 - center.x
                let distance = abs((px * px + py * py).squareRoot() - radius)
                let value = Float(min(max(halfWidth + 0.5 - distance, 0), 1))
                let index = row * width + column
                if value > coverage[index] { coverage[index] = value }
            }
        }
    }

    /// Unites a disc.
    mutating func addDisc(center: Point, radius: Double) {
        addCapsule(center, center, radius: radius)
    }

    // MARK: - Fills

    /// Unites the interior of polygons (non-zero winding), with exact area coverage.
    mutating func addPolygons(_ polygons: [[Point]]) {
        let stride = width + 2
        let count = stride * height
        if accumulation.count < count { accumulation = [Float](repeating: 0, count: count) }
        for polygon in polygons where polygon.count > 2 {
            for index in polygon.indices {
                let start = polygon[index]
                let end = polygon[(index + 1) % polygon.count]
                addEdge(
                    Point(x: start.x - Double(minX), y: start.y - Double(minY)),
                    Point(x: end.x - Double(minX), y: end.y - Double(minY)), stride: stride)
            }
        }
        // A running sum along each row turns edge contributions into coverage.
        let width = self.width
        for row in 0..<height {
            var sum: Float = 0
            for column in 0..<stride {
                let index = row * stride + column
                sum += accumulation[index]
                accumulation[index] = 0
                if column < width {
                    let value = min(abs(sum), 1)
                    let target = row * width + column
                    if value > coverage[target] { coverage[target] = value }
                }
            }
        }
    }

    /// Adds one edge (mask coordinates) to the accumulation buffer.
    private mutating func addEdge(_ p0: Point, _ p1: Point, stride: Int) {
        guard p0.y != p1.y, p0.y.isFinite, p1.y.isFinite, p0.x.isFinite, p1.x.isFinite else {
            return
        }
        let direction: Float = p0.y < p1.y ? 1 : -1
        let (top, bottom) = p0.y < p1.y ? (p0, p1) : (p1, p0)
        let slope = (bottom.x - top.x) / (bottom.y - top.y)
        let limit = Double(width)
        let rowStart = max(Int(top.y.rounded(.down)), 0)
        let rowEnd = min(Int(bottom.y.rounded(.up)), height)
        guard rowStart < rowEnd else { return }
        for row in rowStart..<rowEnd {
            let bandTop = max(Double(row), top.y)
            let bandBottom = min(Double(row + 1), bottom.y)
            let band = bandBottom - bandTop
            guard band > 0 else { continue }
            let xa = min(max(top.x + (bandTop - top.y) * slope, 0), limit)
            let xb = min(max(top.x + (bandBottom - top.y) * slope, 0), limit)
            let x0 = min(xa, xb)
            let x1 = max(xa, xb)
            let weight = Float(band) * direction
            let base = row * stride
            let first = Int(x0.rounded(.down))
            if x1 - x0 < 1e-6 {
                let fraction = Float(x0 - Double(first))
                accumulation[base + first] += weight * (1 - fraction)
                accumulation[base + first + 1] += weight * fraction
                continue
            }
            // Coverage of column i is the mean over the band of the part of the pixel right of
            // the edge: (G(i + 1) − G(i)) / (x1 − x0), with G the integral of max(0, t − x).
            func integral(_ t: Double) -> Double {
                if t <= x0 { return 0 }
                if t >= x1 { return (x1 - x0) * (t - (x0 + x1) / 2) }
                return (t - x0) * (t - x0) / 2
            }
            let span = x1 - x0
            var previous = 0.0
            let last = min(Int(x1.rounded(.down)) + 1, width + 1)
            for column in first...last {
                let t = Double(column + 1)
                let covered = (integral(t) - integral(t - 1)) / span
                accumulation[base + column] += weight * Float(covered - previous)
                previous = covered
            }
        }
    }
}
