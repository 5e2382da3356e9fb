import KernelInterface
import Testing

@testable import Plot

@Suite struct ChartMimeBundleTests {
    @Test func chartBundleCarriesSVGAndText() throws {
        let bundle = Fixtures.lossChart.mimeBundle()
        let svg = try #require(bundle[.svg])
        #expect(ParsedXML(svg).isWellFormed)
        #expect(bundle.plainText?.isEmpty == false)
    }
}
