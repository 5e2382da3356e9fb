import Testing

@testable import Plot

@Suite struct ConvenienceTests {
    @Test func historyPairsMetricsWithValidation() throws {
        let chart = Chart.history(
            [
                MetricHistory(name: "loss", values: [0.6, 0.5]),
                MetricHistory(name: "accuracy", values: [0.8, 0.85]),
                MetricHistory(name: "val_loss", values: [0.65, 0.55]),
                MetricHistory(name: "empty", values: []),
            ], title: "History")
        guard case .panels(let panels, let columns) = chart.content else {
            Issue.record("expected panels")
            return
        }
        #expect(columns == 2 && chart.width == 720)
        #expect(panels.map(\.title) == ["loss", "accuracy"])
        guard case .plot(let loss) = panels[0].content else { return }
        let names = loss.marks.compactMap { mark -> String? in
            if case .line(let series) = mark { return series.name }
            return nil
        }
        #expect(names == ["loss", "val_loss"])
        #expect(ParsedXML(chart.svg()).isWellFormed)
    }

    @Test func predictionsCaptionAndHighlightMistakes() throws {
        let board = try Fixtures.checkerboard
        let grid = ImageGrid.predictions(
            [board, board, board], predicted: ["7", "3", "1"], actual: ["7", "5"])
        #expect(grid.images.map(\.caption) == ["7", "3 (true 5)", "1"])
        #expect(grid.images.map(\.isHighlighted) == [false, true, false])
        let mistakes = ImageGrid.predictions(
            [board, board], predicted: ["7", "3"], actual: ["7", "5"], onlyMistakes: true)
        #expect(mistakes.images.count == 1)
    }

    @Test func keyValueTableOfMetrics() {
        let table = Table.keyValue([("loss", 0.3312), ("accuracy", 0.8807)], title: "Evaluation")
        #expect(
            table.text(style: .plain) == """
                Evaluation
                metric     value
                ────────  ──────
                loss      0.3312
                accuracy  0.8807
                """)
    }
}
