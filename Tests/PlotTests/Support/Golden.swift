import Foundation
import Testing

/// Golden files: outputs checked in under Tests/PlotTests/Golden and compared byte for byte.
///
/// To regenerate after a deliberate change, run the tests with `PLOT_UPDATE_GOLDEN=1` and review
/// the diff (and the images) before committing.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

    static var isUpdating: Bool {
        ProcessInfo.processInfo.environment["PLOT_UPDATE_GOLDEN"] == "1"
    }

    /// Compares `actual` with the golden file `name`, or rewrites it when updating.
    static func check(
        _ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = directory.appendingPathComponent(name)
        if isUpdating {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            actual == expected,
            "\(name) differs from its golden file; if the change is deliberate, rerun with PLOT_UPDATE_GOLDEN=1",
            sourceLocation: sourceLocation)
    }
}
