import Testing

@testable import Plot

@Suite struct TableTests {
    var trials: Table {
        Table(
            title: "Trials",
            columns: ["trial", "optimizer", TableColumn("accuracy", format: .percent(1)), "loss"],
            rows: [
                [1, "SGD", 0.8712, 0.3591],
                [2, "Adam", 0.8843, 0.3307],
                [3, "RMSprop", 0.8791, .empty],
            ], caption: "best: trial 2", highlightedRow: 1)
    }

    @Test func boxText() {
        let expected = """
            Trials
            ┌───────┬───────────┬──────────┬────────┐
            │ trial │ optimizer │ accuracy │   loss │
            ├───────┼───────────┼──────────┼────────┤
            │     1 │ SGD       │    87.1% │ 0.3591 │
            │     2 │ Adam      │    88.4% │ 0.3307 │ ◀
            │     3 │ RMSprop   │    87.9% │        │
            └───────┴───────────┴──────────┴────────┘
            best: trial 2
            """
        #expect(trials.text() == expected)
    }

    @Test func plainText() {
        let expected = """
            Trials
            trial  optimizer  accuracy    loss
            ─────  ─────────  ────────  ──────
                1  SGD           87.1%  0.3591
                2  Adam          88.4%  0.3307  ◀
                3  RMSprop       87.9%
            best: trial 2
            """
        #expect(trials.text(style: .plain) == expected)
    }

    @Test func wideTextColumnsAreCutToFit() {
        let table = Table(
            columns: ["name", "value"],
            rows: [[.text(String(repeating: "x", count: 100)), 1]])
        let text = table.text(maxWidth: 40)
        for line in text.split(separator: "\n") {
            #expect(TerminalWidth.columns(of: String(line)) <= 40)
        }
        #expect(text.contains("…"))
    }

    @Test func wideCharactersTakeTwoColumns() {
        let table = Table(columns: ["label"], rows: [["猫"], ["cat"]])
        let lines = table.text().split(separator: "\n").map(String.init)
        let widths = Set(lines.map(TerminalWidth.columns(of:)))
        #expect(widths.count == 1)
    }

    @Test func htmlIsAPlainWellFormedTable() throws {
        let html = trials.html()
        let document = ParsedXML(html)
        try #require(document.isWellFormed)
        #expect(document.elements(named: "caption").first?.text == "Trials")
        #expect(
            document.elements(named: "th").map(\.text) == [
                "trial", "optimizer", "accuracy", "loss",
            ])
        #expect(
            document.elements(named: "tr").filter { $0.attributes["class"] == "best" }.count == 1)
        #expect(document.elements(named: "strong").map(\.text).contains("Adam"))
        #expect(!html.contains("color"))
        #expect(!html.contains("font-family"))
        let numeric = try #require(document.elements(named: "td").first?.attributes["style"])
        #expect(numeric.contains("text-align:right"))
    }

    @Test func htmlEscapesCells() {
        let table = Table(columns: ["<b>"], rows: [["a & b"]])
        let html = table.html()
        #expect(html.contains("&lt;b&gt;"))
        #expect(html.contains("a &amp; b"))
    }

    @Test func automaticFormatIsSharedDownAColumn() {
        let table = Table(columns: ["x"], rows: [[1.5], [123.25], [0.001]])
        let cells = table.formattedRows().map { $0[0] }
        #expect(cells == ["1.50", "123.25", "0.00"])
    }

    @Test func integersAreGroupedAndShortRowsPadded() {
        let table = Table(
            columns: ["layer", "parameters"], rows: [["Dense"], ["Dense", 101_770]])
        #expect(table.formattedRows() == [["Dense", ""], ["Dense", "101,770"]])
    }

    @Test func mimeBundleHasTextAndHTML() {
        let bundle = trials.mimeBundle()
        #expect(bundle.plainText == trials.text())
        #expect(bundle[.html] == trials.html())
    }
}

@Suite struct NumberFormatTests {
    @Test func formats() {
        #expect(NumberFormat.fixed(3).format(0.87649) == "0.876")
        #expect(NumberFormat.fixed(2).format(-0.001) == "0.00")
        #expect(NumberFormat.percent(1).format(0.87649) == "87.6%")
        #expect(NumberFormat.scientific(2).format(0.000123) == "1.23e-04")
        #expect(NumberFormat.grouped.format(101_770) == "101,770")
        #expect(NumberFormat.grouped.format(-1_234_567) == "-1,234,567")
        #expect(NumberFormat.grouped.format(999) == "999")
        #expect(NumberFormat.bytes.format(407_080) == "397.5 KiB")
        #expect(NumberFormat.bytes.format(512) == "512 B")
        #expect(NumberFormat.duration.format(0.0123) == "12.3 ms")
        #expect(NumberFormat.duration.format(4.561) == "4.56 s")
        #expect(NumberFormat.duration.format(3723) == "1:02:03")
        #expect(NumberFormat.fixed(2).format(.nan) == "nan")
        #expect(NumberFormat.fixed(2).format(-.infinity) == "-inf")
    }

    @Test func automaticResolution() {
        #expect(NumberFormat.automatic.resolved(for: [1, 2, 3]) == .grouped)
        #expect(NumberFormat.automatic.resolved(for: [0.5, 2.25]) == .fixed(4))
        #expect(NumberFormat.automatic.resolved(for: [0.5, 250.5]) == .fixed(2))
        #expect(NumberFormat.automatic.resolved(for: [0.0001, 0.0002]) == .scientific(2))
        #expect(NumberFormat.automatic.resolved(for: [1.5e12 + 0.5]) == .scientific(2))
        #expect(NumberFormat.fixed(1).resolved(for: [1]) == .fixed(1))
    }

    @Test func clockText() {
        #expect(NumberFormat.clockText(65) == "1:05")
        #expect(NumberFormat.clockText(3600) == "1:00:00")
        #expect(NumberFormat.clockText(.nan) == "--:--")
        #expect(NumberFormat.clockText(-3) == "0:00")
    }
}
