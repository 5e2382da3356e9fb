import Testing

@testable import Plot

@Suite struct HistogramTests {
    @Test func sturgesUsesLogTwoOfTheCount() throws {
        // ⌈log₂ 100⌉ + 1 = 7 + 1 = 8 bins.
        let histogram = try Histogram(values: (0..<100).map(Double.init), binning: .sturges)
        #expect(histogram.counts.count == 8)
        #expect(histogram.counts.reduce(0, +) == 100)
        #expect(histogram.edges.first == 0 && histogram.edges.last == 99)
    }

    @Test func freedmanDiaconisUsesTheInterquartileRange() throws {
        // 0…99: IQR = 74.25 − 24.75 = 49.5; width = 2 · 49.5 / 100^(1/3) = 21.33; 99 / 21.33 → 5.
        let histogram = try Histogram(
            values: (0..<100).map(Double.init), binning: .freedmanDiaconis)
        #expect(histogram.counts.count == 5)
    }

    @Test func automaticTakesTheLargerCount() throws {
        let histogram = try Histogram(values: (0..<100).map(Double.init))
        #expect(histogram.counts.count == 8)
    }

    @Test func explicitCountAndWidth() throws {
        let counted = try Histogram(values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], binning: .count(2))
        #expect(counted.counts == [5, 6])  // the last bin includes its upper edge
        let widthed = try Histogram(values: [0, 10], binning: .width(2.5))
        #expect(widthed.counts.count == 4)
    }

    @Test func nonFiniteValuesAreLeftOutAndEqualValuesGetAWidth() throws {
        let histogram = try Histogram(values: [3, 3, .nan, .infinity], binning: .count(1))
        #expect(histogram.counts == [2])
        #expect(histogram.edges == [2.5, 3.5])
    }

    @Test func badRulesThrow() {
        #expect(throws: PlotError.self) { try Histogram(values: [1, 2], binning: .count(0)) }
        #expect(throws: PlotError.self) { try Histogram(values: [1, 2], binning: .width(-1)) }
        #expect(throws: PlotError.self) { try Histogram(values: [0, 1e9], binning: .width(1)) }
        #expect(throws: PlotError.self) { try Histogram(edges: [0, 1], counts: [1, 2]) }
        #expect(throws: PlotError.self) { try Histogram(edges: [1, 0], counts: [1]) }
    }

    @Test func quantileInterpolates() {
        #expect(HistogramBinning.quantile([0, 10], 0.25) == 2.5)
        #expect(HistogramBinning.quantile([4], 0.5) == 4)
        #expect(HistogramBinning.quantile([], 0.5) == 0)
    }
}
