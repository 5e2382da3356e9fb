import Foundation

/// Finds the files shipped with the Data module (the 5,000-image MNIST subset).
///
/// SwiftPM copies them into a `Trainbook_Data.resources` directory next to the built program
/// (.build/debug, .build/release). `Bundle.module` would find that directory too, but its
/// generated accessor calls `fatalError` when the directory is missing (a program copied
/// elsewhere), so the lookup is done here, where a missing file is a thrown error: next to the
/// main program, next to the real executable (following symbolic links), then in the source
/// tree this module was built from.
enum BundledResources {
    /// The directory SwiftPM gives this module's resources (package name, underscore, target).
    static let bundleName = "Trainbook_Data.resources"

    /// The directory of the bundled resource `name`.
    ///
    /// - Throws: `missingResource` listing every place searched.
    static func directory(named name: String) throws(DataError) -> String {
        let candidates = searchPaths(for: name)
        for candidate in candidates where isDirectory(candidate) {
            return candidate
        }
        throw .missingResource(name: name, searched: candidates)
    }

    private static func searchPaths(for name: String) -> [String] {
        var bundles: [URL] = [Bundle.main.bundleURL.appendingPathComponent(bundleName)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            bundles.append(
                executable.deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        var paths = bundles.map { $0.appendingPathComponent(name).path }
        // This file is Sources/Data/Sets/BundledResources.swift; the resources are in
        // Sources/Data/Resources.
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent()
        paths.append(sources.appendingPathComponent("Resources").appendingPathComponent(name).path)
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory)
            && directory.boolValue
    }
}
