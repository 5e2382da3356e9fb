/// A chart laid out: a flat, ordered display list in CSS pixels that the SVG writer and the
/// rasterizer both draw, so that a chart's two images agree.
struct Scene: Sendable {
    /// Width in CSS pixels.
    var width: Double
    /// Height in CSS pixels.
    var height: Double
    /// The colour under everything.
    var background: Color
    /// A text alternative (the chart title) for accessibility.
    var description: String?
    /// What is drawn, back to front.
    var items: [SceneItem] = []

    mutating func add(_ item: SceneItem) {
        items.append(item)
    }
}

/// One thing drawn in a scene.
enum SceneItem: Sendable {
    /// Polylines (open) or polygons (closed), filled and/or stroked as one shape.
    case path(ScenePath)
    /// An axis-aligned rectangle: bars, heatmap cells, legend boxes.
    case rect(Rect, fill: Color?, stroke: Stroke?)
    /// A circle: markers.
    case circle(center: Point, radius: Double, fill: Color?, stroke: Stroke?)
    /// A line of text.
    case text(TextRun)
    /// Pixels scaled into a frame without smoothing.
    case image(ImagePixels, frame: Rect, colormap: Colormap)
}

/// A set of subpaths drawn with one paint.
struct ScenePath: Sendable {
    /// Each subpath is a list of points joined by straight segments.
    var subpaths: [[Point]]
    /// Whether each subpath is closed (a polygon) rather than open (a polyline).
    var isClosed: Bool
    /// Interior paint (non-zero winding), or nil.
    var fill: Color?
    /// Outline paint, or nil.
    var stroke: Stroke?
}

/// How a line is drawn.
struct Stroke: Sendable, Hashable {
    var color: Color
    var width: Double
    /// Alternating dash and gap lengths in CSS pixels; empty for a solid line.
    var dash: [Double] = []
    /// Round caps and joins for data lines; butt caps for grid lines and ticks.
    var isRound: Bool = false
}

/// A single line of text, positioned by its baseline.
struct TextRun: Sendable, Hashable {
    var text: String
    /// The anchor point, on the baseline.
    var position: Point
    var size: Double
    var weight: FontWeight = .regular
    var color: Color
    var anchor: TextAnchor = .start
    /// Rotation in degrees about `position`, clockwise (SVG's convention); -90 reads bottom-up.
    var rotation: Double = 0
}

/// Where a text's anchor point lies along the text.
enum TextAnchor: String, Sendable, Hashable {
    case start
    case middle
    case end
}

/// Regular or bold text.
enum FontWeight: Sendable, Hashable {
    case regular
    case bold
}
