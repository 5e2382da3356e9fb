import Files
import Foundation

/// Saving a chart to a file (`savefig`).
extension Chart {
    /// Writes the chart to `path` as SVG or PNG, chosen by the extension (`.svg`, `.png`, any
    /// case), atomically (the shared `AtomicFile`): the bytes go to a synced temporary file in
    /// the same directory that is then renamed over the target, so a reader never sees half a
    /// file; a symbolic link is written through to its target.
    ///
    /// ```swift
    /// try chart.write(to: "loss.png")
    /// ```
    ///
    /// - Throws: `PlotError.unsupportedFileExtension` for any other extension,
    ///   `PlotError.writeFailed` when the file cannot be written.
    public func write(to path: String) throws {
        let fileExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        let bytes: [UInt8]
        switch fileExtension {
        case "svg": bytes = Array(svg().utf8)
        case "png": bytes = try png()
        default: throw PlotError.unsupportedFileExtension(fileExtension)
        }
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw PlotError.writeFailed(path: path, reason: error.reason)
        }
    }
}
