import Display
import Foundation
import Testing

@testable import Plot

@Suite struct ChartMimeBundleTests {
    @Test func chartBundleCarriesSVGPNGAndText() throws {
        var chart = Fixtures.lossChart
        chart.width = 300
        chart.height = 200
        let bundle = chart.mimeBundle(textWidth: 70)
        let svg = try #require(bundle[.svg])
        #expect(ParsedXML(svg).isWellFormed)
        let base64 = try #require(bundle[.png])
        let png = try DecodedPNG(Array(try #require(Data(base64Encoded: base64))))
        #expect(png.width == 600 && png.height == 400)
        let metadata = try #require(bundle.metadata["image/png"])
        #expect(metadata["width"] == .int(300) && metadata["height"] == .int(200))
        #expect(bundle.plainText == chart.text(width: 70))
    }
}

@Suite struct MimeBundleValueTests {
    @Test func mimeBundleStoresText() {
        var bundle = MimeBundle(plainText: "hello")
        bundle[.html] = "<b>hello</b>"
        #expect(bundle.plainText == "hello")
        #expect(bundle.data["text/html"] == .string("<b>hello</b>"))
    }
}
