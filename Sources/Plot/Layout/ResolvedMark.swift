/// A plot mark with its colour decided (palette colours go to marks without one, in order).
struct ResolvedMark {
    var mark: PlotMark
    var color: Color
    /// Fill opacity for histogram bars: lighter when several overlap.
    var barOpacity = 0.85

    static func resolve(_ marks: [PlotMark]) -> [ResolvedMark] {
        var nextPaletteIndex = 0
        let histogramCount = marks.filter { if case .histogram = $0 { true } else { false } }.count
        return marks.map { mark in
            let chosen: Color?
            switch mark {
            case .line(let series): chosen = series.color
            case .scatter(let series): chosen = series.color
            case .histogram(let histogram): chosen = histogram.color
            }
            var color = chosen ?? Palette.color(at: nextPaletteIndex)
            if chosen == nil { nextPaletteIndex += 1 }
            color.opacity = min(color.opacity, 1)
            return ResolvedMark(
                mark: mark, color: color, barOpacity: histogramCount > 1 ? 0.55 : 0.85)
        }
    }

    /// Horizontal data values, for fitting the x axis.
    var xValues: [Double] {
        switch mark {
        case .line(let series): return Array(series.x.prefix(series.y.count))
        case .scatter(let series): return Array(series.x.prefix(series.y.count))
        case .histogram(let histogram): return histogram.edges
        }
    }

    /// Vertical data values, for fitting the y axis.
    var yValues: [Double] {
        switch mark {
        case .line(let series): return Array(series.y.prefix(series.x.count))
        case .scatter(let series): return Array(series.y.prefix(series.x.count))
        case .histogram(let histogram): return histogram.counts.filter { $0 > 0 }
        }
    }

    /// The legend line for this mark, if it is named.
    var legendEntry: LegendEntry? {
        switch mark {
        case .line(let series):
            guard let name = series.name, !name.isEmpty else { return nil }
            return LegendEntry(
                name: name, color: color,
                swatch: .line(stroke(for: series), marker: series.marker))
        case .scatter(let series):
            guard let name = series.name, !name.isEmpty else { return nil }
            return LegendEntry(
                name: name, color: color.withOpacity(series.opacity), swatch: .marker(series.marker)
            )
        case .histogram(let histogram):
            guard let name = histogram.name, !name.isEmpty else { return nil }
            return LegendEntry(name: name, color: color.withOpacity(barOpacity), swatch: .box)
        }
    }

    func stroke(for series: LineSeries) -> Stroke {
        let width = series.lineWidth.isFinite ? min(max(series.lineWidth, 0.25), 20) : 2
        let dash: [Double]
        switch series.dash {
        case .solid: dash = []
        case .dashed: dash = [width * 3, width * 2]
        case .dotted: dash = [0, width * 2]
        }
        return Stroke(color: color, width: width, dash: dash, isRound: true)
    }

    /// The mark in pixels, clipped to the plot rectangle.
    func project(x: PositionScale, y: PositionScale, in rect: Rect) -> ProjectedMark {
        switch mark {
        case .line(let series):
            var runs: [[Point]] = []
            var current: [Point] = []
            for (xValue, yValue) in zip(series.x, series.y) {
                if let px = x.position(xValue), let py = y.position(yValue) {
                    current.append(Point(x: px, y: py))
                } else if !current.isEmpty {
                    runs.append(current)
                    current = []
                }
            }
            if !current.isEmpty { runs.append(current) }
            let clipped = runs.flatMap { SegmentClipper.clip(polyline: $0, to: rect) }
            let stroke = stroke(for: series)
            let markers =
                series.marker == nil ? [] : runs.flatMap { $0 }.filter { rect.contains($0) }
            return ProjectedMark(
                geometry: .lines(clipped, stroke: stroke), marker: series.marker,
                markerPoints: markers, markerRadius: max(3, stroke.width * 1.6), color: color,
                markerOutline: Theme.background)
        case .scatter(let series):
            let points = zip(series.x, series.y).compactMap { xValue, yValue -> Point? in
                guard let px = x.position(xValue), let py = y.position(yValue) else { return nil }
                let point = Point(x: px, y: py)
                return rect.contains(point) ? point : nil
            }
            let radius = series.size.isFinite ? min(max(series.size, 0.5), 30) : 3
            return ProjectedMark(
                geometry: .none, marker: series.marker, markerPoints: points,
                markerRadius: radius, color: color.withOpacity(series.opacity))
        case .histogram(let histogram):
            let baseline = y.position(y.kind == .log ? y.lower : max(y.lower, 0)) ?? rect.maxY
            var bars: [Rect] = []
            for (index, count) in histogram.counts.enumerated() where count > 0 {
                guard index + 1 < histogram.edges.count,
                    let left = x.position(histogram.edges[index]),
                    let right = x.position(histogram.edges[index + 1]),
                    let top = y.position(count)
                else { continue }
                let bar = Rect(
                    x: min(left, right), y: min(top, baseline), width: abs(right - left),
                    height: abs(baseline - top)
                ).intersection(rect)
                if bar.area > 0 { bars.append(bar) }
            }
            return ProjectedMark(geometry: .bars(bars), color: color.withOpacity(barOpacity))
        }
    }
}

/// A mark in pixels, ready to draw and to be avoided by the legend.
struct ProjectedMark {
    enum Geometry {
        case none
        case lines([[Point]], stroke: Stroke)
        case bars([Rect])
    }

    var geometry: Geometry
    var marker: Marker? = nil
    var markerPoints: [Point] = []
    var markerRadius = 3.0
    var color: Color
    var markerOutline: Color? = nil

    func draw(into scene: inout Scene) {
        switch geometry {
        case .none:
            break
        case .lines(let runs, let stroke):
            if !runs.isEmpty {
                scene.add(
                    .path(ScenePath(subpaths: runs, isClosed: false, fill: nil, stroke: stroke)))
            }
        case .bars(let bars):
            let minimumWidth = bars.map(\.width).min() ?? 0
            let edge =
                minimumWidth >= 5 ? Stroke(color: Theme.background, width: 0.75) : nil
            for bar in bars { scene.add(.rect(bar, fill: color, stroke: edge)) }
        }
        if let marker {
            for point in markerPoints {
                scene.add(
                    MarkerShape.item(
                        marker, at: point, radius: markerRadius, color: color,
                        outline: markerOutline))
            }
        }
    }

    /// How much of this mark a legend placed at `rect` would hide.
    func obstruction(by rect: Rect) -> Double {
        var cost = 0.0
        switch geometry {
        case .none:
            break
        case .lines(let runs, _):
            for run in runs {
                for (a, b) in zip(run, run.dropFirst()) {
                    guard let (start, end) = SegmentClipper.clip(a, b, to: rect) else { continue }
                    cost += abs(end.x - start.x) + abs(end.y - start.y) + 1
                }
            }
        case .bars(let bars):
            for bar in bars { cost += bar.intersection(rect).area / 20 }
        }
        for point in markerPoints where rect.contains(point) { cost += 8 }
        return cost
    }
}
