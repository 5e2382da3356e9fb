/// Draws a scene onto a canvas at a device scale (2 for sharp PNGs on high-density screens):
/// every item through a coverage mask, then blended in scene order.
struct SceneRasterizer {
    /// Device pixels per CSS pixel.
    let scale: Double

    func render(_ scene: Scene) -> Canvas {
        var canvas = Canvas(
            width: Int((scene.width * scale).rounded()),
            height: Int((scene.height * scale).rounded()),
            background: scene.background)
        var mask = CoverageMask()
        for item in scene.items {
            draw(item, on: &canvas, mask: &mask)
        }
        return canvas
    }

    private func draw(_ item: SceneItem, on canvas: inout Canvas, mask: inout CoverageMask) {
        switch item {
        case .path(let path):
            let subpaths = path.subpaths.map { $0.map(device) }
            if let fill = path.fill {
                fillPolygons(subpaths, color: fill, on: &canvas, mask: &mask)
            }
            if let stroke = path.stroke {
                strokePolylines(
                    subpaths, closed: path.isClosed, stroke: stroke, on: &canvas, mask: &mask)
            }
        case .rect(let rect, let fill, let stroke):
            let corners = [
                Point(x: rect.minX, y: rect.minY), Point(x: rect.maxX, y: rect.minY),
                Point(x: rect.maxX, y: rect.maxY), Point(x: rect.minX, y: rect.maxY),
            ].map(device)
            if let fill { fillPolygons([corners], color: fill, on: &canvas, mask: &mask) }
            if let stroke {
                strokePolylines([corners], closed: true, stroke: stroke, on: &canvas, mask: &mask)
            }
        case .circle(let center, let radius, let fill, let stroke):
            let center = device(center)
            let radius = radius * scale
            if let fill, begin(&mask, around: [center], reach: radius + 1, canvas: canvas) {
                mask.addDisc(center: center, radius: radius)
                canvas.blend(mask, color: fill)
            }
            if let stroke {
                let half = stroke.width * scale / 2
                if begin(&mask, around: [center], reach: radius + half + 1, canvas: canvas) {
                    mask.addRing(center: center, radius: radius, halfWidth: half)
                    canvas.blend(mask, color: stroke.color)
                }
            }
        case .text(let run):
            let (strokes, radius) = StrokeFont.strokes(for: run, scale: scale)
            let points = strokes.flatMap { $0 }
            guard begin(&mask, around: points, reach: radius + 1, canvas: canvas) else { return }
            for stroke in strokes {
                addSegments(of: stroke, closed: false, radius: radius, to: &mask)
            }
            canvas.blend(mask, color: run.color)
        case .image(let pixels, let frame, let colormap):
            let scaled = Rect(
                x: frame.x * scale, y: frame.y * scale, width: frame.width * scale,
                height: frame.height * scale)
            canvas.draw(pixels, frame: scaled, colormap: colormap)
        }
    }

    private func device(_ point: Point) -> Point {
        Point(x: point.x * scale, y: point.y * scale)
    }

    /// Resets the mask over the bounding box of `points` grown by `reach`.
    private func begin(
        _ mask: inout CoverageMask, around points: [Point], reach: Double, canvas: Canvas
    )
        -> Bool
    {
        guard let first = points.first else { return false }
        var box = (x0: first.x, y0: first.y, x1: first.x, y1: first.y)
        for point in points {
            box.x0 = min(box.x0, point.x)
            box.y0 = min(box.y0, point.y)
            box.x1 = max(box.x1, point.x)
            box.y1 = max(box.y1, point.y)
        }
        return mask.reset(
            x0: box.x0 - reach, y0: box.y0 - reach, x1: box.x1 + reach, y1: box.y1 + reach,
            canvasWidth: canvas.width, canvasHeight: canvas.height)
    }

    private func fillPolygons(
        _ polygons: [[Point]], color: Color, on canvas: inout Canvas, mask: inout CoverageMask
    ) {
        guard begin(&mask, around: polygons.flatMap { $0 }, reach: 1, canvas: canvas) else {
            return
        }
        mask.addPolygons(polygons)
        canvas.blend(mask, color: color)
    }

    private func strokePolylines(
        _ polylines: [[Point]], closed: Bool, stroke: Stroke, on canvas: inout Canvas,
        mask: inout CoverageMask
    ) {
        let radius = max(stroke.width * scale / 2, 0.35)
        guard begin(&mask, around: polylines.flatMap { $0 }, reach: radius + 1, canvas: canvas)
        else { return }
        let pattern = stroke.dash.map { max($0, 0) * scale }
        for polyline in polylines {
            let path = closed && polyline.count > 2 ? polyline + [polyline[0]] : polyline
            if pattern.reduce(0, +) >= 1 {
                for piece in DashPattern.split(path, pattern: pattern) {
                    addSegments(of: piece, closed: false, radius: radius, to: &mask)
                }
            } else {
                addSegments(of: path, closed: false, radius: radius, to: &mask)
            }
        }
        canvas.blend(mask, color: stroke.color)
    }

    private func addSegments(
        of polyline: [Point], closed: Bool, radius: Double, to mask: inout CoverageMask
    ) {
        guard let first = polyline.first else { return }
        if polyline.count == 1 {
            mask.addCapsule(first, first, radius: radius)
            return
        }
        for (start, end) in zip(polyline, polyline.dropFirst()) {
            mask.addCapsule(start, end, radius: radius)
        }
    }
}

/// Cuts polylines into dashes.
enum DashPattern {
    /// The "on" pieces of `polyline` under `pattern` (alternating on and off lengths, device
    /// pixels); a zero-length "on" piece is a single point (a round dot).
    static func split(_ polyline: [Point], pattern: [Double]) -> [[Point]] {
        guard pattern.count >= 2, pattern.reduce(0, +) > 0 else { return [polyline] }
        var pieces: [[Point]] = []
        var index = 0
        var remaining = pattern[0]
        var on = true
        var current: [Point] = polyline.first.map { [$0] } ?? []
        for (start, end) in zip(polyline, polyline.dropFirst()) {
            let length =
                ((end.x - start.x) * (end.x - start.x) + (end.y - start.y) * (end.y - start.y))
                .squareRoot()
            var travelled = 0.0
            while length - travelled > remaining && pieces.count < 100_000 {
                travelled += remaining
                let t = travelled / length
                let point = Point(
                    x: start.x + (end.x - start.x) * t, y: start.y + (end.y - start.y) * t)
                if on {
                    current.append(point)
                    pieces.append(current)
                    current = []
                } else {
                    current = [point]
                }
                on.toggle()
                index = (index + 1) % pattern.count
                remaining = pattern[index]
            }
            remaining -= length - travelled
            if on { current.append(end) }
        }
        if on && !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
