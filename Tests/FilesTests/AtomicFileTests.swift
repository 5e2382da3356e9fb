import Foundation
import Testing

@testable import Files

/// The one atomic write: complete or absent, synced, through links, with true messages.
@Suite struct AtomicFileTests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "atomic-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasSuffix(".tmp")
        }
    }

    @Test func replacesTheFileAndSyncsTheFileAndItsDirectory() throws {
        let path = directory + "/notes.txt"
        try AtomicFile.write(Array("old".utf8), to: path)
        let before = AtomicFile.syncCount.load(ordering: .relaxed)
        try AtomicFile.write(Array("new".utf8), to: path, mode: 0o600)
        #expect(AtomicFile.syncCount.load(ordering: .relaxed) - before >= 2)
        #expect(contents(path) == "new")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try leftovers().isEmpty)
    }

    @Test func writesThroughASymbolicLinkToItsTarget() throws {
        let target = directory + "/real.txt"
        let link = directory + "/link.txt"
        try AtomicFile.write(Array("old".utf8), to: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.txt")
        try AtomicFile.write(Array("new".utf8), to: link)
        #expect(contents(target) == "new")
        let type =
            try FileManager.default.attributesOfItem(atPath: link)[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.txt")
    }

    @Test func aDanglingLinkCreatesItsTarget() throws {
        let link = directory + "/dangling.txt"
        try FileManager.default.createSymbolicLink(
            atPath: link, withDestinationPath: directory + "/created.txt")
        try AtomicFile.write(Array("made".utf8), to: link)
        #expect(contents(directory + "/created.txt") == "made")
    }

    @Test func anUncommittedFileLeavesTheTargetAlone() throws {
        let path = directory + "/kept.txt"
        try AtomicFile.write(Array("kept".utf8), to: path)
        do {
            let file = try AtomicFile(path: path)
            try file.write(Array("half".utf8))
        }
        #expect(contents(path) == "kept")
        #expect(try leftovers().isEmpty)
    }

    @Test func aMissingDirectoryIsNamed() {
        let path = directory + "/missing/file.txt"
        #expect(
            throws: FileWriteError(path: path, reason: "no such directory: \(directory)/missing")
        ) { try AtomicFile.write([1], to: path) }
    }

    @Test func aProcFileIsNotCalledMissing() throws {
        var caught: FileWriteError?
        do {
            try AtomicFile.write([1], to: "/proc/self/status")
        } catch {
            caught = error
        }
        let error = try #require(caught)
        #expect(!error.reason.contains("no such file"), "\(error)")
        #expect(error.reason.contains("allows no new files"), "\(error)")
    }

    @Test func aDirectoryOrDeviceIsNotReplaced() {
        #expect(throws: FileWriteError(path: directory, reason: "it is a directory")) {
            try AtomicFile.write([1], to: directory)
        }
        #expect(throws: FileWriteError.self) { try AtomicFile.write([1], to: "/dev/null") }
        #expect(FileManager.default.fileExists(atPath: "/dev/null"))
    }
}
