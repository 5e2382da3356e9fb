import Foundation
import Testing

@testable import Plot

@Suite struct SaveTests {
    /// A fresh empty directory.
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "plot-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    var chart: Chart {
        var chart = Fixtures.lossChart
        chart.width = 200
        chart.height = 120
        return chart
    }

    @Test func writesSVGAndPNGByExtension() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("loss.svg").path
        let png = folder.appendingPathComponent("loss.PNG").path
        try chart.write(to: svg)
        try chart.write(to: png)
        #expect(ParsedXML(try String(contentsOfFile: svg, encoding: .utf8)).isWellFormed)
        let decoded = try DecodedPNG(Array(try Data(contentsOf: URL(fileURLWithPath: png))))
        #expect(decoded.width == 400 && decoded.height == 240)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(left) == ["loss.svg", "loss.PNG"])
    }

    @Test func replacesAnExistingFile() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("chart.svg").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try chart.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("<svg"))
    }

    @Test func unknownExtensionsAreRefused() {
        #expect(throws: PlotError.unsupportedFileExtension("jpg")) {
            try chart.write(to: "/tmp/x.jpg")
        }
        #expect(throws: PlotError.unsupportedFileExtension("")) {
            try chart.write(to: "/tmp/noext")
        }
        #expect(
            PlotError.unsupportedFileExtension("jpg").description
                == "cannot save a chart with '.jpg': use a name ending in .svg or .png")
    }

    @Test func missingDirectoryIsAClearError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/loss.svg"
        do {
            try chart.write(to: path)
            Issue.record("expected an error")
        } catch let error as PlotError {
            guard case .writeFailed(let failedPath, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(failedPath == path)
            #expect(reason.hasPrefix("no such directory"))
        }
    }
}
