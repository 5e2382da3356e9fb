import Foundation
import Testing

@testable import Plot

@Suite struct SVGTests {
    static var everyKind: [Chart] {
        get throws {
            [
                Fixtures.lossChart, try Fixtures.barChart, try Fixtures.confusionChart,
                try Fixtures.imageChart,
                Chart.scatter([ScatterSeries(name: "trials", x: [1, 2, 3], y: [0.5, 0.7, 0.6])]),
                Chart.histogram([try Histogram(values: [1, 2, 2, 3, 3, 3, 4, 4, 5])]),
                Chart.panels([Fixtures.lossChart, Fixtures.lossChart], columns: 2, title: "Two"),
            ]
        }
    }

    @Test func everyChartKindIsWellFormedXML() throws {
        for chart in try Self.everyKind {
            let document = ParsedXML(chart.svg())
            #expect(document.isWellFormed, "\(chart.summary): \(document.error ?? "")")
            let root = try #require(document.elements.first)
            #expect(root.name == "svg")
            #expect(root.attributes["width"] == SVGNumber.format(chart.drawnWidth))
            #expect(root.attributes["viewBox"] != nil)
        }
    }

    @Test func textIsEscapedAndSurvivesParsing() throws {
        let title = "Loss <b> & \"quotes\" 'single' \u{1}bell"
        let chart = Chart.line([LineSeries(name: "a<b", y: [1, 2])], title: title)
        let document = ParsedXML(chart.svg())
        try #require(document.isWellFormed)
        let texts = document.elements(named: "text").map(\.text)
        #expect(texts.contains("Loss <b> & \"quotes\" 'single' bell"))
        #expect(texts.contains("a<b"))
        #expect(
            document.elements(named: "title").first?.text == "Loss <b> & \"quotes\" 'single' bell")
    }

    @Test func outputIsDeterministic() throws {
        #expect(Fixtures.lossChart.svg() == Fixtures.lossChart.svg())
        #expect(try Fixtures.confusionChart.svg() == (try Fixtures.confusionChart.svg()))
    }

    @Test func fontStackStartsWithMetricCompatibleFonts() throws {
        let root = try #require(ParsedXML(Fixtures.lossChart.svg()).elements.first)
        let family = try #require(root.attributes["font-family"])
        #expect(family.hasPrefix("Helvetica, Arial"))
        #expect(family.hasSuffix("sans-serif"))
    }

    @Test func imagesAreEmbeddedAsPNGDataWithoutSmoothing() throws {
        let document = ParsedXML(try Fixtures.imageChart.svg())
        let images = document.elements(named: "image")
        #expect(images.count == 2)
        let href = try #require(images.first?.attributes["xlink:href"])
        #expect(href.hasPrefix("data:image/png;base64,iVBORw0KGgo"))
        #expect(images.first?.attributes["style"]?.contains("pixelated") == true)
    }

    @Test func numbersHaveTwoDecimalsAtMostAndNoNegativeZero() {
        #expect(SVGNumber.format(12.5) == "12.5")
        #expect(SVGNumber.format(12) == "12")
        #expect(SVGNumber.format(-0.001) == "0")
        #expect(SVGNumber.format(1.23456) == "1.23")
        #expect(SVGNumber.format(.nan) == "0")
        #expect(SVGNumber.format(1e300) == "10000000")
    }

    @Test func goldenLineChart() throws {
        try Golden.check(Fixtures.lossChart.svg(), against: "line-chart.svg")
    }

    @Test func goldenBarChart() throws {
        try Golden.check(try Fixtures.barChart.svg(), against: "bar-chart.svg")
    }

    @Test func goldenConfusionMatrix() throws {
        try Golden.check(try Fixtures.confusionChart.svg(), against: "confusion-matrix.svg")
    }
}
