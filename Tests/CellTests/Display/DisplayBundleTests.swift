import CellLibrary
import Foundation
import KernelInterface
import Testing

@testable import Cell

/// What cells show: tables for models, histories, data sets, metrics and confusion matrices
/// (text/plain plus well-formed HTML), and charts as SVG, PNG and a Unicode rendering.
@Suite struct DisplayBundleTests {
    private func harness() -> CellHarness {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.environment = { _ in nil }
        let harness = CellHarness(configuration: configuration)
        harness.run(
            """
            seed(5)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 30, standardDeviation: 0.5)
            var model = Sequential { Dense(2, 8, activation: relu); Dense(8, 3) }
            let history = model.fit(data, epochs: 2, batchSize: 15, optimizer: Adam(), verbose: 0)
            """)
        return harness
    }

    /// The bundle of a cell's result.
    private func bundle(_ harness: CellHarness, _ code: String) throws -> MimeBundle {
        let run = harness.run(code)
        guard case .success(let bundle) = run.outcome else {
            Issue.record("cell failed: \(run.error?.value ?? "")")
            throw CancellationError()
        }
        return try #require(bundle)
    }

    @Test func aModelIsShownAsASummaryTable() throws {
        let bundle = try bundle(harness(), "model")
        let html = try #require(bundle[.html])
        #expect(HTMLCheck.isBalanced(html))
        #expect(html.contains("<table"))
        #expect(html.contains("Dense"))
        // 2*8+8 + 8*3+3 parameters.
        #expect(html.contains("51"))
        #expect(bundle.plainText?.contains("51") == true)
    }

    @Test func historiesDataSetsAndConfusionMatricesGiveTables() throws {
        let harness = harness()
        for code in ["history", "data", "confusionMatrix(model, data)"] {
            let bundle = try bundle(harness, code)
            let html = try #require(bundle[.html], "\(code) has no HTML")
            #expect(HTMLCheck.isBalanced(html), "\(code): \(html)")
            #expect(bundle.plainText?.isEmpty == false)
        }
        let history = try #require(try bundle(harness, "history")[.html])
        #expect(history.contains("loss"))
        #expect(history.contains("accuracy"))
    }

    @Test func metricsAreShownAsAlignedColumns() throws {
        let bundle = try bundle(harness(), "model.evaluate(data)")
        let text = try #require(bundle.plainText)
        let rows = text.split(separator: "\n").filter {
            $0.contains("loss") || $0.contains("accuracy")
        }
        #expect(rows.count == 2)
        // Values start in the same column.
        let starts = rows.compactMap { row in
            row.firstIndex(where: \.isNumber).map { row.distance(from: row.startIndex, to: $0) }
        }
        #expect(starts.count == 2 && starts[0] == starts[1])
        #expect(bundle[.html].map(HTMLCheck.isBalanced) == true)
        // Other dictionaries keep their literal form.
        #expect(harness().run("[\"a\": \"b\"]").result == "[\"a\": \"b\"]")
    }

    @Test func chartsCarrySVGPNGAndText() throws {
        let harness = harness()
        let charts = [
            "plot([1.0, 2.0, 4.0, 8.0], labels: \"loss\", yScale: .log)",
            "plot([[1.0, 2.0], [2.0, 1.0]], labels: [\"a\", \"b\"])",
            "scatter([1.0, 2.0, 3.0], [3.0, 1.0, 2.0])",
            "bar([\"SGD\", \"Adam\"], [0.84, 0.88])",
            "histogram(model[0].weight)",
            "history.plot()",
            "confusionMatrix(model, data).plot()",
        ]
        for code in charts {
            let bundle = try bundle(harness, code)
            let svg = try #require(bundle[.svg], "\(code) has no SVG")
            #expect(svg.hasPrefix("<svg"), "\(code)")
            #expect(HTMLCheck.isBalanced(svg), "\(code)")
            let png = try #require(bundle[.png].flatMap { Data(base64Encoded: $0) })
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(bundle.plainText?.isEmpty == false)
        }
    }

    @Test func showDisplaysAnImageGridAtOnce() throws {
        let run = harness().run("show(Tensor.uniform([4, 1, 6, 6]), labels: [0, 1, 2, 3])")
        #expect(run.succeeded)
        let displays = run.sink.events.compactMap { event -> MimeBundle? in
            if case .display(let bundle, _) = event { return bundle }
            return nil
        }
        #expect(displays.count == 1)
        #expect(displays.first?[.png] != nil)
    }

    @Test func savefigWritesByExtension() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("display-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let harness = harness()
        harness.run("let chart = plot([1.0, 3.0, 2.0])")
        let svg = directory.appendingPathComponent("loss.svg").path
        let png = directory.appendingPathComponent("loss.png").path
        #expect(harness.run("savefig(chart, \"\(svg)\")").succeeded)
        #expect(harness.run("chart.save(\"\(png)\")").succeeded)
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(svgText.contains("<svg"))
        let pngBytes = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(pngBytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let error = harness.run("savefig(chart, \"\(directory.path)/loss.gif\")").error
        #expect(error != nil)
    }

    @Test func badSeriesAreErrorsNotTraps() {
        let harness = harness()
        for code in ["scatter([1.0], [1.0, 2.0])", "bar([\"a\"], [1.0, 2.0])", "plot(\"x\")"] {
            let run = harness.run(code)
            #expect(run.error != nil, "\(code) should fail")
        }
        // An empty series is an empty chart, as in matplotlib.
        let empty = harness.run("plot([]).svg()")
        #expect(empty.result?.contains("<svg") == true)
    }
}

/// A small check that markup's tags are balanced and properly nested (void elements and
/// self-closing tags aside), for HTML tables and SVG documents.
enum HTMLCheck {
    static let voidElements: Set<String> = ["br", "hr", "img", "col", "meta", "input", "wbr"]

    static func isBalanced(_ markup: String) -> Bool {
        var open: [String] = []
        var rest = markup[...]
        while let start = rest.firstIndex(of: "<") {
            guard let end = rest[start...].firstIndex(of: ">") else { return false }
            let tag = rest[rest.index(after: start)..<end]
            rest = rest[rest.index(after: end)...]
            if tag.hasPrefix("!") || tag.hasPrefix("?") || tag.hasSuffix("/") { continue }
            let name =
                tag.split(whereSeparator: { $0 == " " || $0 == "\n" }).first.map(String.init) ?? ""
            if name.hasPrefix("/") {
                guard open.popLast() == String(name.dropFirst()) else { return false }
            } else if !voidElements.contains(name.lowercased()) {
                open.append(name)
            }
        }
        return open.isEmpty
    }
}
