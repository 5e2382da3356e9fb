/// One legend line: a swatch in the series' style and its name.
struct LegendEntry {
    enum Swatch {
        case line(Stroke, marker: Marker?)
        case marker(Marker)
        case box
    }

    var name: String
    var color: Color
    var swatch: Swatch
}

/// Places a legend box inside a corner of the plot area (the requested one, or the one that
/// hides the least data) and draws it; or, drawn by the chart's layout, in a row above the plot
/// when every corner would cover data.
struct LegendLayout {
    static let padding = 8.0
    static let rowHeight = 17.0
    static let swatchWidth = 22.0
    static let swatchGap = 6.0
    static let inset = 8.0
    static let maximumNameLength = 40

    var entries: [LegendEntry]
    var position: LegendPosition

    /// The size of the legend box.
    private var boxSize: (width: Double, height: Double) {
        let textWidth =
            entries.map { FontMetrics.width(of: Self.shortened($0.name), size: Theme.legendSize) }
            .max() ?? 0
        return (
            width: Self.padding * 2 + Self.swatchWidth + Self.swatchGap + textWidth,
            height: Self.padding * 2 + Self.rowHeight * Double(entries.count) - 4
        )
    }

    /// Whether an automatic legend inside the plot would cover data (or not fit) in every
    /// corner: then the layout puts it above the plot instead.
    func coversData(plotRect: Rect, obstacles: [ProjectedMark]) -> Bool {
        guard !entries.isEmpty, position == .automatic else { return false }
        let size = boxSize
        guard size.width < plotRect.width - 2 * Self.inset,
            size.height < plotRect.height - 2 * Self.inset
        else { return true }
        let box = placement(size: size, plotRect: plotRect, obstacles: obstacles)
        return Self.cost(of: box, obstacles: obstacles) > 0
    }

    func draw(into scene: inout Scene, plotRect: Rect, obstacles: [ProjectedMark]) {
        guard !entries.isEmpty, position != .hidden else { return }
        let names = entries.map { Self.shortened($0.name) }
        let size = boxSize
        guard size.width < plotRect.width - 2 * Self.inset,
            size.height < plotRect.height - 2 * Self.inset
        else { return }
        let box = placement(size: size, plotRect: plotRect, obstacles: obstacles)
        scene.add(
            .rect(
                box, fill: Theme.background.withOpacity(0.88),
                stroke: Stroke(color: Theme.legendBorder, width: 1)))
        for (index, entry) in entries.enumerated() {
            let rowMid = box.minY + Self.padding + Self.rowHeight * (Double(index) + 0.5) - 2
            drawSwatch(entry, from: box.minX + Self.padding, midY: rowMid, into: &scene)
            scene.add(
                .text(
                    TextRun(
                        text: names[index],
                        position: Point(
                            x: box.minX + Self.padding + Self.swatchWidth + Self.swatchGap,
                            y: rowMid + Theme.legendSize * 0.35),
                        size: Theme.legendSize, color: Theme.labelColor)))
        }
    }

    /// The width of the legend drawn as one row (`drawRow`).
    var rowWidth: Double {
        entries.reduce(0) {
            $0 + Self.swatchWidth + Self.swatchGap
                + FontMetrics.width(of: Self.shortened($1.name), size: Theme.legendSize) + 16
        } - 16
    }

    /// Draws the entries in one row ending at `right`, centred on `midY` (above a plot).
    func drawRow(into scene: inout Scene, right: Double, midY: Double) {
        var x = right - rowWidth
        for entry in entries {
            let name = Self.shortened(entry.name)
            drawSwatch(entry, from: x, midY: midY, into: &scene)
            x += Self.swatchWidth + Self.swatchGap
            scene.add(
                .text(
                    TextRun(
                        text: name, position: Point(x: x, y: midY + Theme.legendSize * 0.35),
                        size: Theme.legendSize, color: Theme.labelColor)))
            x += FontMetrics.width(of: name, size: Theme.legendSize) + 16
        }
    }

    private func placement(
        size: (width: Double, height: Double), plotRect: Rect, obstacles: [ProjectedMark]
    ) -> Rect {
        let inner = plotRect.insetBy(dx: Self.inset, dy: Self.inset)
        func corner(_ position: LegendPosition) -> Rect {
            let left = position == .topLeft || position == .bottomLeft
            let top = position == .topLeft || position == .topRight
            return Rect(
                x: (left ? inner.minX : inner.maxX - size.width).rounded() + 0.5,
                y: (top ? inner.minY : inner.maxY - size.height).rounded() + 0.5,
                width: size.width.rounded(), height: size.height.rounded())
        }
        guard position == .automatic else { return corner(position) }
        let candidates: [LegendPosition] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
        var best = corner(.topRight)
        var bestCost = Double.infinity
        for candidate in candidates {
            let rect = corner(candidate)
            let cost = Self.cost(of: rect, obstacles: obstacles)
            if cost < bestCost {
                best = rect
                bestCost = cost
            }
        }
        return best
    }

    /// How much data a box at `rect` covers, markers counted up to their radius outside it.
    private static func cost(of rect: Rect, obstacles: [ProjectedMark]) -> Double {
        let reach = rect.insetBy(dx: -4, dy: -4)
        return obstacles.reduce(0) { $0 + $1.obstruction(by: reach) }
    }

    private func drawSwatch(
        _ entry: LegendEntry, from x: Double, midY: Double, into scene: inout Scene
    ) {
        let center = Point(x: x + Self.swatchWidth / 2, y: midY)
        switch entry.swatch {
        case .line(let stroke, let marker):
            scene.add(
                .path(
                    ScenePath(
                        subpaths: [
                            [Point(x: x + 1, y: midY), Point(x: x + Self.swatchWidth - 1, y: midY)]
                        ], isClosed: false, fill: nil, stroke: stroke)))
            if let marker {
                scene.add(
                    MarkerShape.item(
                        marker, at: center, radius: max(3, stroke.width * 1.6),
                        color: entry.color, outline: Theme.background))
            }
        case .marker(let marker):
            scene.add(MarkerShape.item(marker, at: center, radius: 4, color: entry.color))
        case .box:
            scene.add(
                .rect(
                    Rect(x: x + 5, y: midY - 6, width: Self.swatchWidth - 10, height: 12),
                    fill: entry.color, stroke: nil))
        }
    }

    /// Long names end with an ellipsis.
    static func shortened(_ name: String, limit: Int = maximumNameLength) -> String {
        name.count <= limit ? name : String(name.prefix(limit - 1)) + "…"
    }
}
