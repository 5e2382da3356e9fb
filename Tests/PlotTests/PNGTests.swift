import Foundation
import Testing

@testable import PNG
@testable import Plot

@Suite struct PNGEncoderTests {
    @Test func roundTripsEveryFilterChoice() throws {
        // Gradients, flat areas and noise make the adaptive filter choose several types.
        var samples: [UInt8] = []
        var state: UInt32 = 7
        for y in 0..<24 {
            for x in 0..<20 {
                state = state &* 1_664_525 &+ 1_013_904_223
                let noise = UInt8(truncatingIfNeeded: state >> 24)
                let pixel: [UInt8] =
                    y < 8
                    ? [UInt8(x * 12), UInt8(y * 30), 128]
                    : y < 16 ? [200, 200, 200] : [noise, noise &+ 1, UInt8(x)]
                samples += pixel
            }
        }
        let png = try PNGEncoder.encode(width: 20, height: 24, channels: 3, samples: samples)
        let decoded = try DecodedPNG(png)
        #expect(decoded.width == 20 && decoded.height == 24)
        #expect(decoded.colorType == 2 && decoded.bitDepth == 8)
        #expect(decoded.samples == samples)
        #expect(decoded.chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect(Set(decoded.filterTypes).count >= 2)
    }

    @Test func greyAndAlphaImages() throws {
        let grey: [UInt8] = [0, 64, 128, 255]
        let decodedGrey = try DecodedPNG(
            PNGEncoder.encode(width: 2, height: 2, channels: 1, samples: grey))
        #expect(decodedGrey.colorType == 0 && decodedGrey.samples == grey)
        let rgba: [UInt8] = [255, 0, 0, 128, 0, 255, 0, 255]
        let decodedRGBA = try DecodedPNG(
            PNGEncoder.encode(width: 2, height: 1, channels: 4, samples: rgba))
        #expect(decodedRGBA.colorType == 6 && decodedRGBA.samples == rgba)
    }

    @Test func rejectsMismatchedBuffers() {
        #expect(throws: PNGError.sizeMismatch(width: 2, height: 2, channels: 3, count: 3)) {
            try PNGEncoder.encode(width: 2, height: 2, channels: 3, samples: [1, 2, 3])
        }
        #expect(throws: PNGError.unsupportedChannelCount(2)) {
            try PNGEncoder.encode(width: 1, height: 1, channels: 2, samples: [1, 2])
        }
        #expect(throws: PNGError.sizeMismatch(width: Int.max, height: 2, channels: 3, count: 3)) {
            try PNGEncoder.encode(width: Int.max, height: 2, channels: 3, samples: [1, 2, 3])
        }
    }

    @Test func paethPicksTheNearestNeighbour() {
        #expect(PNGEncoder.paeth(10, 20, 10) == 20)
        #expect(PNGEncoder.paeth(20, 10, 10) == 20)
        #expect(PNGEncoder.paeth(10, 10, 30) == 10)
    }
}

@Suite struct ChartPNGTests {
    /// A small chart keeps debug-build tests quick.
    func small(_ chart: Chart) -> Chart {
        var chart = chart
        chart.width = 320
        chart.height = 200
        return chart
    }

    @Test func drawsAtTwiceTheSizeWithDensity() throws {
        let png = try DecodedPNG(small(Fixtures.lossChart).png())
        #expect(png.width == 640 && png.height == 400)
        #expect(png.pixelsPerMeter == 5669)
        #expect(png.chunkTypes == ["IHDR", "pHYs", "IDAT", "IEND"])
        #expect(png.rgb(x: 0, y: 0) == [255, 255, 255])
    }

    @Test func barsArePaintedInTheirPaletteColour() throws {
        let chart = small(
            try Chart.bar(categories: ["a"], series: [BarSeries(values: [1])], valueAxis: Axis()))
        let png = try DecodedPNG(chart.png())
        // The bar fills the middle of the plot area.
        #expect(png.rgb(x: png.width / 2, y: png.height * 3 / 4) == [0x00, 0x72, 0xB2])
    }

    @Test func imagesAreScaledWithoutSmoothing() throws {
        let chart = Chart(
            width: 200, height: 200,
            content: .images(ImageGrid(images: [GridImage(pixels: try Fixtures.checkerboard)])))
        let png = try DecodedPNG(chart.png())
        var seen = Set<[UInt8]>()
        for y in stride(from: 60, to: 340, by: 7) {
            for x in stride(from: 60, to: 340, by: 7) { seen.insert(png.rgb(x: x, y: y)) }
        }
        #expect(seen == [[0, 0, 0], [255, 255, 255]])
    }

    @Test func heatmapCellsTakeTheirColormapColour() throws {
        let heatmap = try Heatmap(
            rows: [[0, 1], [1, 0]], colormap: .viridis, annotation: .hidden)
        var chart = Chart.heatmap(heatmap)
        chart.width = 300
        let scene = ChartLayout.scene(for: chart)
        let cell = try #require(
            scene.items.compactMap { item -> Rect? in
                if case .rect(let rect, let fill, _) = item, fill == Colormap.viridis.color(at: 0) {
                    return rect
                }
                return nil
            }.first)
        let png = try DecodedPNG(chart.png())
        let color = Colormap.viridis.color(at: 0)
        #expect(
            png.rgb(x: Int(cell.midX * 2), y: Int(cell.midY * 2))
                == [color.red, color.green, color.blue])
    }

    @Test func everyChartKindRasterizes() throws {
        for chart in try SVGTests.everyKind {
            let png = try DecodedPNG(small(chart).png(scale: 1))
            #expect(png.width == 320 && png.height == 200)
            // Something besides the background was drawn.
            #expect(Set(png.samples).count > 2, "\(chart.summary)")
        }
    }
}
