import Testing

@testable import Plot

@Suite struct TextRenderingTests {
    func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func linesFitTheWidth() throws {
        for chart in try SVGTests.everyKind {
            for width in [30, 60, 80, 132] {
                for line in lines(chart.text(width: width)) {
                    #expect(
                        TerminalWidth.columns(of: line) <= width, "\(chart.summary) at \(width)")
                }
            }
        }
    }

    @Test func lineChartSnapshot() throws {
        try Golden.check(Fixtures.lossChart.text(width: 60) + "\n", against: "line-chart.txt")
    }

    @Test func lineChartHasAxesTicksAndLegend() {
        let text = Fixtures.lossChart.text(width: 60)
        let all = lines(text)
        #expect(all.first == "Loss")
        #expect(all.contains { $0.hasPrefix("0.8┤") })
        #expect(all.contains { $0.contains("└") && $0.contains("┬") })
        #expect(all.last?.contains("train") == true && all.last?.contains("⠒•⠒ validation") == true)
        #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    }

    /// Notebook 05's temperature chart: four series whose names do not fit one 80-column
    /// line. The legend used to stop at the third; every name must be shown, within the width.
    @Test func legendWrapsInsteadOfDroppingSeries() throws {
        let x = [1.0, 2, 4, 8]
        let names = [
            "distilled, α = 0.25", "distilled, α = 0.5", "distilled, α = 0.9", "student alone",
        ]
        let series = names.enumerated().map { index, name in
            LineSeries(name: name, x: x, y: x.map { 0.86 - Double(index) * 0.01 * $0 })
        }
        let text = Chart.line(series, title: "Validation accuracy").text(width: 80)
        for name in names { #expect(text.contains(name), "\(name) missing from the legend") }
        #expect(lines(text).allSatisfy { TerminalWidth.columns(of: $0) <= 80 })
        #expect(lines(text).suffix(2).allSatisfy { $0.contains("⠒") })  // two legend lines

        let bars = try Chart.bar(
            categories: ["a", "b"],
            series: names.map { BarSeries(name: $0, values: [0.8, 0.9]) },
            valueAxis: Axis(label: "accuracy"))
        let barText = bars.text(width: 60)
        for name in names { #expect(barText.contains(name)) }
        #expect(lines(barText).allSatisfy { TerminalWidth.columns(of: $0) <= 60 })
    }

    @Test func flowedKeepsEveryEntryAndColoursTakeNoColumns() {
        let red = "\u{1B}[31m▬\u{1B}[0m"
        let entries = [red + " one", red + " two", red + " three"]
        let flowed = TerminalWidth.flowed(entries, width: 14)
        #expect(flowed == [red + " one   " + red + " two", red + " three"])
        #expect(TerminalWidth.flowed([], width: 10).isEmpty)
        #expect(TerminalWidth.flowed(["a very long entry"], width: 5) == ["a very long entry"])
    }

    @Test func barChartSnapshot() throws {
        try Golden.check(try Fixtures.barChart.text(width: 60) + "\n", against: "bar-chart.txt")
    }

    @Test func confusionMatrixShowsItsCounts() throws {
        let text = try Fixtures.confusionChart.text(width: 60)
        #expect(text.contains("predicted →"))
        let dogRow = try #require(lines(text).first { $0.hasPrefix("dog") })
        #expect(dogRow.contains(" 3") && dogRow.contains("45") && dogRow.contains(" 6"))
    }

    @Test func bigHeatmapIsShadedToFit() throws {
        let values = (0..<(50 * 200)).map { Double($0 % 200) }
        let chart = Chart.heatmap(try Heatmap(values: values, rowCount: 50, columnCount: 200))
        let text = chart.text(width: 80)
        #expect(text.contains("█") && text.contains("░"))
        #expect(lines(text).allSatisfy { TerminalWidth.columns(of: $0) <= 80 })
    }

    @Test func imagesAreShadedAndMisclassifiedMarked() throws {
        let text = try Fixtures.imageChart.text(width: 40)
        #expect(text.contains("█"))
        #expect(text.contains("✗ pred 3"))
    }

    @Test func colorsAreOptIn() {
        #expect(!Fixtures.lossChart.text().contains("\u{1B}["))
        #expect(Fixtures.lossChart.text(colors: true).contains("\u{1B}[38;5;"))
    }

    @Test func xtermColorsComeFromTheCube() {
        #expect(TerminalStyle.xtermIndex(.black) == 16)
        #expect(TerminalStyle.xtermIndex(.white) == 231)
        #expect(TerminalStyle.xtermIndex(Color(hex: 0xFF0000)) == 196)
    }

    @Test func scatterPointsAndHistogramsShow() throws {
        let scatter = Chart.scatter([ScatterSeries(name: "p", x: [1, 2, 3], y: [3, 1, 2])]).text()
        #expect(scatter.filter { $0 == "•" }.count == 4)  // three points and the legend
        let histogram = Chart.histogram([try Histogram(values: [1, 2, 2, 3, 3, 3])]).text()
        #expect(histogram.contains("█"))
    }
}
