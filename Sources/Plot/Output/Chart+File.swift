import Foundation

/// Saving a chart to a file (`savefig`).
extension Chart {
    /// Writes the chart to `path` as SVG or PNG, chosen by the extension (`.svg`, `.png`, any
    /// case), atomically: the bytes go to a temporary file in the same directory that is then
    /// renamed over the target, so a reader never sees half a file.
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
        try AtomicFile.write(bytes, to: path)
    }
}

/// Whole-file writes through a temporary file and a rename.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw PlotError.writeFailed(path: path, reason: "no such directory: \(folder)")
        }
        var generator = SystemRandomNumberGenerator()
        let suffix = String(generator.next() as UInt64, radix: 36)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(
            ".\(target.lastPathComponent).\(suffix).tmp")
        do {
            try Data(bytes).write(to: temporary, options: .withoutOverwriting)
        } catch {
            throw PlotError.writeFailed(path: path, reason: Self.reason(error))
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw PlotError.writeFailed(path: path, reason: reason)
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
