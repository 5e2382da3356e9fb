import Foundation

/// The scene item for a marker of a given radius, sized so that shapes look equally heavy.
enum MarkerShape {
    static func item(
        _ marker: Marker, at center: Point, radius: Double, color: Color, outline: Color? = nil
    ) -> SceneItem {
        let outlineStroke = outline.map { Stroke(color: $0, width: 1) }
        switch marker {
        case .circle:
            return .circle(center: center, radius: radius, fill: color, stroke: outlineStroke)
        case .square:
            return polygon(
                [(-1, -1), (1, -1), (1, 1), (-1, 1)], center, radius * 0.886, color,
                outlineStroke)
        case .triangle:
            return polygon(
                [(0, -1.15), (1, 0.58), (-1, 0.58)], center, radius * 1.2, color, outlineStroke)
        case .diamond:
            return polygon(
                [(0, -1), (1, 0), (0, 1), (-1, 0)], center, radius * 1.3, color, outlineStroke)
        case .cross:
            let arm = radius * 0.95
            let strokes = [
                [
                    Point(x: center.x - arm, y: center.y - arm),
                    Point(x: center.x + arm, y: center.y + arm),
                ],
                [
                    Point(x: center.x - arm, y: center.y + arm),
                    Point(x: center.x + arm, y: center.y - arm),
                ],
            ]
            return .path(
                ScenePath(
                    subpaths: strokes, isClosed: false, fill: nil,
                    stroke: Stroke(color: color, width: max(radius * 0.55, 1.2), isRound: true)))
        }
    }

    private static func polygon(
        _ unit: [(Double, Double)], _ center: Point, _ scale: Double, _ color: Color,
        _ stroke: Stroke?
    ) -> SceneItem {
        let points = unit.map { Point(x: center.x + $0.0 * scale, y: center.y + $0.1 * scale) }
        return .path(ScenePath(subpaths: [points], isClosed: true, fill: color, stroke: stroke))
    }
}
