import Foundation

/// The font PNG text is drawn with: each glyph is a few centre-line strokes (lines, quadratic
/// curves, elliptical arcs) drawn with round ends, designed for Trainbook on Helvetica's
/// advance widths so that text measured by `FontMetrics` takes exactly that room.
///
/// Glyphs are written in a small path notation, in font units (1000 to the em) with y up:
/// baseline 0, x-height 500, cap and digit height 700, descender −200; x runs across the
/// glyph's advance. Commands, space-separated:
///
///     M x y                 start a new stroke at (x, y)
///     L x y                 straight line to (x, y)
///     Q cx cy x y           quadratic curve through control (cx, cy) to (x, y)
///     E cx cy rx ry a0 a1   elliptical arc from angle a0 to a1 (degrees, counter-clockwise);
///                           a line joins it to the current point
///     O cx cy rx ry         a closed ellipse, as its own stroke
///     D x y                 a dot
///
/// The design space is squeezed vertically by the stroke's half-width so that strokes end on the
/// baseline and the cap height rather than crossing them. Characters without a glyph are drawn
/// from their canonical decomposition (é = e + ◌́), superscripts from the scaled digits, anything
/// else as an empty box.
enum StrokeFont {
    /// Stroke width in font units.
    static let regularWeight = 86.0
    static let boldWeight = 124.0
    /// The outer height strokes reach: Helvetica's cap height.
    static let capHeight = 718.0

    /// Glyph strokes in font units, parsed once.
    static let glyphs: [UInt32: [[Point]]] = {
        var parsed: [UInt32: [[Point]]] = [:]
        for (character, path) in glyphPaths {
            guard let scalar = character.unicodeScalars.first else { continue }
            parsed[scalar.value] = parse(path)
        }
        return parsed
    }()

    /// The strokes of `run` in device pixels (scene coordinates × `scale`) and the radius to
    /// draw them with.
    static func strokes(for run: TextRun, scale: Double) -> (strokes: [[Point]], radius: Double) {
        let size = run.size * scale
        let unit = size / 1000
        let bold = run.weight == .bold
        let weight = bold ? boldWeight : regularWeight
        let widthFactor = bold ? FontMetrics.boldFactor : 1
        let half = weight / 2
        let verticalScale = (capHeight - weight) / 700
        let total = FontMetrics.width(of: run.text, size: run.size, weight: run.weight) * scale
        var pen: Double
        switch run.anchor {
        case .start: pen = 0
        case .middle: pen = -total / 2
        case .end: pen = -total
        }
        let angle = run.rotation * .pi / 180
        let cosine = cos(angle)
        let sine = sin(angle)
        let originX = run.position.x * scale
        let originY = run.position.y * scale

        var output: [[Point]] = []
        var lastBase: (pen: Double, advance: Double, isUpper: Bool) = (0, 0, false)
        func place(
            _ strokes: [[Point]], at penX: Double, shift: Double, scaleBy factor: Double,
            raise: Double
        ) {
            for stroke in strokes {
                output.append(
                    stroke.map { point in
                        let x = penX + (point.x * factor + shift) * unit
                        let y = -(half + (point.y * factor + raise) * verticalScale) * unit
                        return Point(
                            x: originX + x * cosine - y * sine, y: originY + x * sine + y * cosine)
                    })
            }
        }
        for scalar in run.text.unicodeScalars {
            let advance = FontMetrics.advance(of: scalar) * widthFactor
            let boldShift = bold ? FontMetrics.advance(of: scalar) * (widthFactor - 1) / 2 : 0
            if let strokes = glyphs[scalar.value] {
                place(strokes, at: pen, shift: boldShift, scaleBy: 1, raise: 0)
                lastBase = (pen, advance, isUppercase(scalar))
            } else if let mark = combiningMarks[scalar.value] {
                let center = lastBase.advance / 2 / widthFactor
                let height = markHeight(scalar.value, upper: lastBase.isUpper)
                place(
                    mark.map { $0.map { Point(x: $0.x + center, y: $0.y + height) } },
                    at: lastBase.pen, shift: 0, scaleBy: 1, raise: 0)
            } else if let digit = superscripts[scalar.value], let strokes = glyphs[digit] {
                place(strokes, at: pen + advance * 0.02 * unit, shift: 0, scaleBy: 0.6, raise: 300)
                lastBase = (pen, advance, false)
            } else if let decomposed = decomposition(of: scalar) {
                let baseAdvance = FontMetrics.advance(of: decomposed.base) * widthFactor
                if let strokes = glyphs[decomposed.base.value] {
                    place(strokes, at: pen, shift: boldShift, scaleBy: 1, raise: 0)
                }
                let upper = isUppercase(decomposed.base)
                for markScalar in decomposed.marks {
                    guard let mark = combiningMarks[markScalar.value] else { continue }
                    let center = baseAdvance / 2 / widthFactor + boldShift
                    let height = markHeight(markScalar.value, upper: upper)
                    place(
                        mark.map { $0.map { Point(x: $0.x + center, y: $0.y + height) } }, at: pen,
                        shift: 0, scaleBy: 1, raise: 0)
                }
                lastBase = (pen, baseAdvance, upper)
            } else if scalar.value > 32 && !scalar.properties.isWhitespace && advance > 0 {
                let box = [
                    [
                        Point(x: 70, y: 0), Point(x: advance - 70, y: 0),
                        Point(x: advance - 70, y: 700), Point(x: 70, y: 700), Point(x: 70, y: 0),
                    ]
                ]
                place(box, at: pen, shift: 0, scaleBy: 1, raise: 0)
            }
            pen += advance * unit
        }
        return (output, max(half * unit, 0.55))
    }

    private static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isUppercase
    }

    /// A precomposed letter as a base character and combining marks, when drawable so.
    private static func decomposition(of scalar: Unicode.Scalar)
        -> (base: Unicode.Scalar, marks: [Unicode.Scalar])?
    {
        let parts = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
        guard parts.count > 1, let base = parts.first, glyphs[base.value] != nil else { return nil }
        return (base, Array(parts.dropFirst()))
    }

    /// Superscript characters and the digit (or sign) they raise.
    private static let superscripts: [UInt32: UInt32] = [
        0x2070: 0x30, 0x00B9: 0x31, 0x00B2: 0x32, 0x00B3: 0x33, 0x2074: 0x34, 0x2075: 0x35,
        0x2076: 0x36, 0x2077: 0x37, 0x2078: 0x38, 0x2079: 0x39, 0x207A: 0x2B, 0x207B: 0x2212,
    ]

    /// The one mark that hangs below the baseline rather than above the letter.
    private static let cedilla: UInt32 = 0x0327

    /// The height a mark is placed at over a base letter.
    private static func markHeight(_ mark: UInt32, upper: Bool) -> Double {
        mark == cedilla ? 0 : upper ? 790 : 590
    }

    /// Accents, centred on x = 0 with their base at y = 0, placed above the base letter.
    private static let combiningMarks: [UInt32: [[Point]]] = {
        let marks: [UInt32: String] = [
            0x0300: "M -60 130 L 40 10",  // grave
            0x0301: "M -40 10 L 60 130",  // acute
            0x0302: "M -100 10 L 0 120 L 100 10",  // circumflex
            0x0303: "M -120 40 Q -60 130 0 70 Q 60 10 120 100",  // tilde
            0x0308: "D -90 60 D 90 60",  // diaeresis
            0x030A: "O 0 70 65 65",  // ring
            0x030C: "M -100 120 L 0 10 L 100 120",  // caron
        ]
        var parsed: [UInt32: [[Point]]] = [:]
        for (scalar, path) in marks { parsed[scalar] = parse(path) }
        parsed[cedilla] = parse("M 0 0 L 0 -60 Q 90 -70 60 -130 Q 30 -180 -60 -160")
        return parsed
    }()

    // MARK: - Path notation

    /// Parses the path notation into strokes; malformed commands are skipped.
    static func parse(_ path: String) -> [[Point]] {
        let tokens = path.split(separator: " ").map(String.init)
        var strokes: [[Point]] = []
        var current: [Point] = []
        var index = 0
        func numbers(_ count: Int) -> [Double]? {
            guard index + count < tokens.count else { return nil }
            let values = tokens[(index + 1)...(index + count)].compactMap(Double.init)
            return values.count == count ? values : nil
        }
        func finish() {
            if !current.isEmpty { strokes.append(current) }
            current = []
        }
        parsing: while index < tokens.count {
            let command = tokens[index]
            switch command {
            case "M", "D":
                guard let v = numbers(2) else { break parsing }
                finish()
                current = [Point(x: v[0], y: v[1])]
                if command == "D" { finish() }
                index += 3
            case "L":
                guard let v = numbers(2) else { break parsing }
                current.append(Point(x: v[0], y: v[1]))
                index += 3
            case "Q":
                guard let v = numbers(4), let start = current.last else { break parsing }
                for step in 1...8 {
                    let t = Double(step) / 8
                    let u = 1 - t
                    current.append(
                        Point(
                            x: u * u * start.x + 2 * u * t * v[0] + t * t * v[2],
                            y: u * u * start.y + 2 * u * t * v[1] + t * t * v[3]))
                }
                index += 5
            case "E", "O":
                let closed = command == "O"
                guard let v = numbers(closed ? 4 : 6) else { break parsing }
                if closed { finish() }
                let from = closed ? 0 : v[4]
                let to = closed ? 360 : v[5]
                let steps = max(Int((abs(to - from) / 9).rounded(.up)), 2)
                for step in 0...steps {
                    let angle = (from + (to - from) * Double(step) / Double(steps)) * .pi / 180
                    current.append(Point(x: v[0] + v[2] * cos(angle), y: v[1] + v[3] * sin(angle)))
                }
                if closed { finish() }
                index += closed ? 5 : 7
            default:
                index += 1
            }
        }
        finish()
        return strokes
    }
}
