import Testing

@testable import Plot

@Suite struct CoverageMaskTests {
    func mask(_ width: Int = 10, _ height: Int = 10) -> CoverageMask {
        var mask = CoverageMask()
        _ = mask.reset(
            x0: 0, y0: 0, x1: Double(width), y1: Double(height), canvasWidth: width,
            canvasHeight: height)
        return mask
    }

    func value(_ mask: CoverageMask, _ x: Int, _ y: Int) -> Float {
        mask.coverage[y * mask.width + x]
    }

    @Test func pixelAlignedSquareIsExact() {
        var mask = mask()
        mask.addPolygons([
            [Point(x: 2, y: 2), Point(x: 5, y: 2), Point(x: 5, y: 5), Point(x: 2, y: 5)]
        ])
        #expect(value(mask, 2, 2) == 1 && value(mask, 4, 4) == 1)
        #expect(value(mask, 1, 2) == 0 && value(mask, 5, 4) == 0 && value(mask, 3, 5) == 0)
    }

    @Test func halfPixelEdgesGiveHalfCoverage() {
        var mask = mask()
        mask.addPolygons([
            [Point(x: 2.5, y: 2), Point(x: 5.5, y: 2), Point(x: 5.5, y: 4), Point(x: 2.5, y: 4)]
        ])
        #expect(abs(value(mask, 2, 3) - 0.5) < 1e-6)
        #expect(abs(value(mask, 5, 3) - 0.5) < 1e-6)
        #expect(value(mask, 3, 3) == 1)
    }

    @Test func triangleCoverageSumsToItsArea() {
        var mask = mask()
        // Area ½ · 7 · 6 = 21, any orientation.
        for polygon in [
            [Point(x: 1.3, y: 1.1), Point(x: 8.3, y: 1.1), Point(x: 4.2, y: 7.1)],
            [Point(x: 4.2, y: 7.1), Point(x: 8.3, y: 1.1), Point(x: 1.3, y: 1.1)],
        ] {
            var fresh = self.mask()
            fresh.addPolygons([polygon])
            let total = fresh.coverage.prefix(100).reduce(0, +)
            #expect(abs(total - 21) < 1e-3)
        }
        mask.addPolygons([[Point(x: -5, y: -5), Point(x: 20, y: -5), Point(x: 20, y: 20)]])
        #expect(mask.coverage.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func capsuleCoversItsWidthSharply() {
        var mask = mask()
        // A 2-pixel-wide horizontal line centred on a pixel boundary fills two rows exactly.
        mask.addCapsule(Point(x: 2, y: 5), Point(x: 8, y: 5), radius: 1)
        #expect(value(mask, 5, 4) == 1 && value(mask, 5, 5) == 1)
        #expect(value(mask, 5, 3) == 0 && value(mask, 5, 6) == 0)
    }

    @Test func discIsRoundAndFullInTheMiddle() {
        var mask = mask()
        mask.addDisc(center: Point(x: 5, y: 5), radius: 3)
        #expect(value(mask, 4, 4) == 1 && value(mask, 5, 5) == 1)
        #expect(value(mask, 0, 0) == 0)
        let total = mask.coverage.prefix(100).reduce(0, +)
        #expect(abs(Double(total) - Double.pi * 9) < 0.5)
    }

    @Test func resetClipsToTheCanvas() {
        var mask = CoverageMask()
        let outside = mask.reset(x0: 20, y0: 20, x1: 30, y1: 30, canvasWidth: 10, canvasHeight: 10)
        let notANumber = mask.reset(
            x0: .nan, y0: 0, x1: 5, y1: 5, canvasWidth: 10, canvasHeight: 10)
        let overlapping = mask.reset(
            x0: -5, y0: -5, x1: 3, y1: 3, canvasWidth: 10, canvasHeight: 10)
        #expect(!outside && !notANumber && overlapping)
        #expect(mask.width == 3 && mask.height == 3)
    }

    @Test func dashesAlternate() {
        let pieces = DashPattern.split([Point(x: 0, y: 0), Point(x: 10, y: 0)], pattern: [3, 2])
        #expect(pieces.map { $0.map(\.x) } == [[0, 3], [5, 8]])
        let dots = DashPattern.split([Point(x: 0, y: 0), Point(x: 4, y: 0)], pattern: [0, 2])
        #expect(dots.map { $0.map(\.x) } == [[0, 0], [2, 2]])
    }
}

@Suite struct StrokeFontTests {
    @Test func everyPrintableASCIICharacterHasAGlyph() {
        for value in UInt32(33)...126 {
            let strokes = StrokeFont.glyphs[value] ?? []
            #expect(
                !strokes.isEmpty, "no glyph for \(Unicode.Scalar(value).map(String.init) ?? "?")")
        }
    }

    @Test func glyphsStayInsideTheirAdvanceBox() throws {
        for (value, strokes) in StrokeFont.glyphs {
            let scalar = try #require(Unicode.Scalar(value))
            let advance = FontMetrics.advance(of: scalar)
            for point in strokes.flatMap({ $0 }) {
                #expect(point.x >= -20 && point.x <= advance + 20, "\(scalar) x \(point.x)")
                #expect(point.y >= -230 && point.y <= 760, "\(scalar) y \(point.y)")
            }
        }
    }

    @Test func textFillsItsMeasuredWidth() {
        let run = TextRun(
            text: "Loss 0.35", position: Point(x: 100, y: 50), size: 20, color: .black,
            anchor: .middle)
        let (strokes, radius) = StrokeFont.strokes(for: run, scale: 1)
        let xs = strokes.flatMap { $0 }.map(\.x)
        let width = FontMetrics.width(of: run.text, size: 20)
        let left = xs.min() ?? 0
        let right = xs.max() ?? 0
        #expect(left >= 100 - width / 2 - radius && right <= 100 + width / 2 + radius)
        #expect(right - left > width * 0.85)
        #expect(radius > 0.5 && radius < 2)
    }

    @Test func accentsSuperscriptsAndUnknownsAreDrawn() {
        func strokeCount(_ text: String) -> Int {
            StrokeFont.strokes(
                for: TextRun(text: text, position: Point(x: 0, y: 0), size: 10, color: .black),
                scale: 1
            ).strokes.count
        }
        #expect(strokeCount("é") == strokeCount("e") + 1)
        #expect(strokeCount("⁻³") == strokeCount("−3"))
        #expect(strokeCount("猫") == 1)  // an empty box
        #expect(strokeCount(" ") == 0)
    }

    @Test func parserSkipsMalformedPaths() {
        #expect(StrokeFont.parse("M 0 0 L 10") == [[Point(x: 0, y: 0)]])
        #expect(StrokeFont.parse("X Y Z").isEmpty)
        #expect(StrokeFont.parse("Q 1 2 3 4").isEmpty)
    }
}
