import Files
import Foundation
import KernelInterface

/// Saves the images of cell outputs (PNG and SVG) to files in a directory, named after the
/// cell and numbered in order: `cell3-output1.png`, `cell3-output2.svg`.
///
/// ```swift
/// var saver = OutputImageSaver(directory: "out/demo_files")
/// let paths = saver.save(output, prefix: "cell3", warn: { print($0) })
/// ```
public struct OutputImageSaver {
    /// Where images go (created when the first one is saved).
    public let directory: String
    private var counts: [String: Int] = [:]

    /// Creates a saver for `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Writes the PNG and SVG images of an nbformat output; returns their paths.
    ///
    /// - Parameters:
    ///   - output: a `display_data` or `execute_result` output (others have no images).
    ///   - prefix: the start of the file names, such as "cell3".
    ///   - warn: told why an image could not be saved.
    public mutating func save(
        _ output: JSONValue, prefix: String, warn: (String) -> Void
    ) -> [String] {
        guard let data = output["data"]?.objectValue else { return [] }
        var paths: [String] = []
        for (mimeType, fileExtension) in [("image/png", "png"), ("image/svg+xml", "svg")] {
            guard let text = data[mimeType].flatMap(NotebookCell.joined) else { continue }
            let bytes: [UInt8]
            if mimeType == "image/png" {
                guard let decoded = Data(base64Encoded: text, options: .ignoreUnknownCharacters)
                else { continue }
                bytes = [UInt8](decoded)
            } else {
                bytes = Array(text.utf8)
            }
            let number = counts[prefix, default: 0] + 1
            counts[prefix] = number
            let path = directory + "/\(prefix)-output\(number).\(fileExtension)"
            do {
                try AtomicFile.makeDirectory(directory)
                try AtomicFile.write(bytes, to: path)
                paths.append(path)
            } catch {
                warn("could not save an image: \(error.description)")
            }
        }
        return paths
    }
}
