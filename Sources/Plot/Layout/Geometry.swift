/// A position in CSS pixels, y pointing down.
struct Point: Sendable, Hashable {
    var x: Double
    var y: Double
}

/// An axis-aligned rectangle in CSS pixels.
struct Rect: Sendable, Hashable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var minX: Double { x }
    var minY: Double { y }
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
    var area: Double { max(width, 0) * max(height, 0) }

    /// The rectangle shrunk by `dx` on the left and right and `dy` on the top and bottom.
    func insetBy(dx: Double, dy: Double) -> Rect {
        Rect(x: x + dx, y: y + dy, width: max(width - 2 * dx, 0), height: max(height - 2 * dy, 0))
    }

    /// Whether `point` lies inside or on the border.
    func contains(_ point: Point) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }

    /// The overlap of two rectangles (zero-sized when they do not overlap).
    func intersection(_ other: Rect) -> Rect {
        let left = max(minX, other.minX)
        let top = max(minY, other.minY)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        return Rect(x: left, y: top, width: max(right - left, 0), height: max(bottom - top, 0))
    }

    /// Whether the two rectangles share interior points.
    func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}

/// Segment clipping against a rectangle (Liang and Barsky, "A new concept and method for line
/// clipping", ACM TOG 3(1), 1984).
enum SegmentClipper {
    /// The part of the segment `a`–`b` inside `rect`, or nil when none is.
    static func clip(_ a: Point, _ b: Point, to rect: Rect) -> (Point, Point)? {
        let dx = b.x - a.x
        let dy = b.y - a.y
        var enter = 0.0
        var leave = 1.0
        let edges: [(p: Double, q: Double)] = [
            (-dx, a.x - rect.minX), (dx, rect.maxX - a.x), (-dy, a.y - rect.minY),
            (dy, rect.maxY - a.y),
        ]
        for edge in edges {
            if edge.p == 0 {
                if edge.q < 0 { return nil }
                continue
            }
            let t = edge.q / edge.p
            if edge.p < 0 {
                if t > leave { return nil }
                enter = max(enter, t)
            } else {
                if t < enter { return nil }
                leave = min(leave, t)
            }
        }
        return (
            Point(x: a.x + enter * dx, y: a.y + enter * dy),
            Point(x: a.x + leave * dx, y: a.y + leave * dy)
        )
    }

    /// Splits a polyline into the runs that lie inside `rect`, cutting segments at its border.
    static func clip(polyline points: [Point], to rect: Rect) -> [[Point]] {
        guard points.count > 1 else {
            return points.first.map { rect.contains($0) ? [[$0]] : [] } ?? []
        }
        var runs: [[Point]] = []
        var current: [Point] = []
        for index in 1..<points.count {
            guard let (start, end) = clip(points[index - 1], points[index], to: rect) else {
                if current.count > 1 { runs.append(current) }
                current = []
                continue
            }
            if current.last != start {
                if current.count > 1 { runs.append(current) }
                current = [start]
            }
            current.append(end)
            if end != points[index] {
                runs.append(current)
                current = []
            }
        }
        if current.count > 1 { runs.append(current) }
        return runs
    }
}
