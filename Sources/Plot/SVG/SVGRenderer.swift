import Display
import Foundation

/// Writes a scene as a standalone SVG document (image/svg+xml).
///
/// The output is deterministic (same chart, same bytes: golden tests compare it byte for byte),
/// well-formed XML with every text escaped, and uses no ids, so that many charts can share one
/// HTML page. Coordinates are written with at most two decimals.
struct SVGRenderer {
    func render(_ scene: Scene) -> String {
        var out = ""
        out.reserveCapacity(16_384 + scene.items.count * 96)
        let width = SVGNumber.format(scene.width)
        let height = SVGNumber.format(scene.height)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        out += "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        out += "width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
        out += "font-family=\"\(Theme.fontFamily)\" role=\"img\">\n"
        if let description = scene.description, !description.isEmpty {
            out += "<title>\(MarkupText.escaped(description))</title>\n"
        }
        out += "<rect width=\"\(width)\" height=\"\(height)\"\(paint("fill", scene.background))/>\n"
        for item in scene.items {
            write(item, to: &out)
        }
        out += "</svg>\n"
        return out
    }

    private func write(_ item: SceneItem, to out: inout String) {
        switch item {
        case .path(let path):
            var data = ""
            for subpath in path.subpaths where !subpath.isEmpty {
                for (index, point) in subpath.enumerated() {
                    data += index == 0 ? "M" : "L"
                    data += SVGNumber.format(point.x) + " " + SVGNumber.format(point.y)
                }
                if path.isClosed { data += "Z" }
            }
            guard !data.isEmpty else { return }
            out += "<path d=\"\(data)\"\(fill(path.fill))\(stroke(path.stroke))/>\n"
        case .rect(let rect, let fillColor, let strokeStyle):
            out += "<rect x=\"\(SVGNumber.format(rect.x))\" y=\"\(SVGNumber.format(rect.y))\" "
            out += "width=\"\(SVGNumber.format(rect.width))\" "
            out += "height=\"\(SVGNumber.format(rect.height))\""
            out += "\(fill(fillColor))\(stroke(strokeStyle))/>\n"
        case .circle(let center, let radius, let fillColor, let strokeStyle):
            out += "<circle cx=\"\(SVGNumber.format(center.x))\" "
            out += "cy=\"\(SVGNumber.format(center.y))\" r=\"\(SVGNumber.format(radius))\""
            out += "\(fill(fillColor))\(stroke(strokeStyle))/>\n"
        case .text(let run):
            write(run, to: &out)
        case .image(let pixels, let frame, let colormap):
            guard let png = try? pixels.png(colormap: colormap) else { return }
            out += "<image x=\"\(SVGNumber.format(frame.x))\" y=\"\(SVGNumber.format(frame.y))\" "
            out += "width=\"\(SVGNumber.format(frame.width))\" "
            out += "height=\"\(SVGNumber.format(frame.height))\" preserveAspectRatio=\"none\" "
            out += "style=\"image-rendering:optimizeSpeed;image-rendering:pixelated\" "
            out += "xlink:href=\"data:image/png;base64,\(Data(png).base64EncodedString())\"/>\n"
        }
    }

    private func write(_ run: TextRun, to out: inout String) {
        guard !run.text.isEmpty else { return }
        let x = SVGNumber.format(run.position.x)
        let y = SVGNumber.format(run.position.y)
        out += "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(SVGNumber.format(run.size))\""
        if run.weight == .bold { out += " font-weight=\"bold\"" }
        if run.anchor != .start { out += " text-anchor=\"\(run.anchor.rawValue)\"" }
        out += paint("fill", run.color)
        if run.rotation != 0 {
            out += " transform=\"rotate(\(SVGNumber.format(run.rotation)) \(x) \(y))\""
        }
        out += ">\(MarkupText.escaped(run.text))</text>\n"
    }

    private func fill(_ color: Color?) -> String {
        guard let color else { return " fill=\"none\"" }
        return paint("fill", color)
    }

    private func stroke(_ stroke: Stroke?) -> String {
        guard let stroke else { return "" }
        var text = paint("stroke", stroke.color)
        text += " stroke-width=\"\(SVGNumber.format(stroke.width))\""
        if stroke.isRound { text += " stroke-linecap=\"round\" stroke-linejoin=\"round\"" }
        if !stroke.dash.isEmpty {
            // A zero-length dash with round caps is a dot; some renderers skip exact zeros.
            let dashes = stroke.dash.map { SVGNumber.format(max($0, 0.01)) }
            text += " stroke-dasharray=\"\(dashes.joined(separator: " "))\""
        }
        return text
    }

    /// `fill="#rrggbb"` or `stroke=…`, with an opacity attribute when not opaque.
    private func paint(_ attribute: String, _ color: Color) -> String {
        var text = " \(attribute)=\"\(color.hexString)\""
        if color.opacity < 1 {
            text += " \(attribute)-opacity=\"\(SVGNumber.format(color.opacity, decimals: 3))\""
        }
        return text
    }
}

/// Numbers as SVG attributes: fixed precision, no trailing zeros, no "-0", never exponents.
enum SVGNumber {
    static func format(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        let clamped = min(max(value, -1e7), 1e7)
        var text = String(format: "%.\(decimals)f", clamped)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
