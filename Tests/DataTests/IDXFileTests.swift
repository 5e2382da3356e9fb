import Foundation
import Testing

@testable import Data

@Suite struct IDXFileTests {
    let pixels: [UInt8] = (0..<24).map { UInt8($0 * 10) }

    @Test func readsRawAndGzipFilesAlike() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let file = idxBytes(type: 0x08, shape: [2, 3, 4], payload: pixels)
        for path in [
            try fixtures.write(file, to: "raw-idx3-ubyte"),
            try fixtures.write(try gzip(file), to: "packed-idx3-ubyte.gz"),
        ] {
            let idx = try IDXFile.read(path)
            #expect(idx.shape == [2, 3, 4])
            #expect(idx.elementType == .uint8)
            #expect(try idx.bytes() == pixels)
            #expect(try idx.tensor().shape == [2, 3, 4])
        }
    }

    @Test func concatenatedGzipMembersReadAsOneStream() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let file = idxBytes(type: 0x08, shape: [24], payload: pixels)
        let path = try fixtures.write(
            try gzip(Array(file.prefix(10))) + (try gzip(Array(file.dropFirst(10)))), to: "two.gz")
        #expect(try IDXFile.read(path).bytes() == pixels)
    }

    @Test func wideTypesAreBigEndianAndConverted() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        // int32 -2 and 258, float32 1.5 and -0.25 (IEEE 754 big-endian)
        let ints = try fixtures.write(
            idxBytes(type: 0x0C, shape: [2], payload: [255, 255, 255, 254, 0, 0, 1, 2]),
            to: "ints")
        #expect(try IDXFile.read(ints).tensor().scalars(as: Int32.self) == [-2, 258])
        let floats = try fixtures.write(
            idxBytes(type: 0x0D, shape: [2], payload: [0x3f, 0xc0, 0, 0, 0xbe, 0x80, 0, 0]),
            to: "floats")
        #expect(try IDXFile.read(floats).tensor().scalars == [1.5, -0.25])
        #expect(throws: DataError.self) { try IDXFile.read(floats).bytes() }
    }

    @Test func truncatedRawFileNamesTheFileAndTheShortfall() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try fixtures.write(
            idxBytes(type: 0x08, shape: [2, 3, 4], payload: Array(pixels.prefix(20))),
            to: "short-idx3-ubyte")
        let error = try #require(dataError { _ = try IDXFile.read(path) })
        guard case .corruptFile(let errorPath, let problem) = error else {
            Issue.record("expected corruptFile, got \(error)")
            return
        }
        #expect(errorPath == path)
        #expect(problem.contains("truncated"))
        #expect(problem.contains("24 bytes"))
        #expect(error.description.contains(path))
    }

    @Test func trailingBytesAreRejected() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let file = idxBytes(type: 0x08, shape: [24], payload: pixels) + [7]
        let raw = try fixtures.write(file, to: "long")
        let packed = try fixtures.write(try gzip(file), to: "long.gz")
        let garbageAfterGzip = try fixtures.write(
            try gzip(Array(file.dropLast())) + [1, 2, 3], to: "garbage.gz")
        for path in [raw, packed, garbageAfterGzip] {
            let error = try #require(dataError { _ = try IDXFile.read(path) })
            guard case .corruptFile = error else {
                Issue.record("expected corruptFile for \(path), got \(error)")
                continue
            }
        }
    }

    @Test func badHeadersAreRejected() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let cases: [(String, [UInt8], String)] = [
            ("magic", [1, 0, 8, 1, 0, 0, 0, 0], "magic"),
            ("type", [0, 0, 0x42, 1, 0, 0, 0, 0], "element type"),
            ("rank0", [0, 0, 8, 0], "rank 0"),
            ("tiny", [0, 0], "truncated"),
            ("dims", [0, 0, 8, 3, 0, 0, 0, 1], "truncated"),
        ]
        for (name, bytes, expected) in cases {
            let path = try fixtures.write(bytes, to: name)
            let error = try #require(dataError { _ = try IDXFile.read(path) })
            #expect(error.description.contains(expected), "\(name): \(error)")
        }
    }

    @Test func lyingHeaderIsRefusedBeforeAllocating() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        // Claims 4 × 10^9 × 10^9 bytes (and, in another, 10^14); the files hold a few bytes.
        let huge = idxBytes(type: 0x08, shape: [4, 1_000_000_000, 1_000_000_000], payload: [1])
        let large = idxBytes(type: 0x08, shape: [100_000, 1_000_000_000], payload: [1])
        for (name, bytes) in [("huge", huge), ("large", large)] {
            let raw = try fixtures.write(bytes, to: name)
            let packed = try fixtures.write(try gzip(bytes), to: name + ".gz")
            let rawError = try #require(dataError { _ = try IDXFile.read(raw) })
            #expect(rawError.description.contains("truncated"), "\(rawError)")
            let packedError = try #require(dataError { _ = try IDXFile.read(packed) })
            guard case .fileTooLarge(let path, _, _) = packedError else {
                Issue.record("expected fileTooLarge, got \(packedError)")
                continue
            }
            #expect(path == packed)
        }
    }

    @Test func damagedGzipIsAnErrorNotATrap() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let packed = try gzip(idxBytes(type: 0x08, shape: [24], payload: pixels))
        let truncated = try fixtures.write(Array(packed.dropLast(6)), to: "cut.gz")
        var flipped = packed
        flipped[flipped.count - 6] ^= 0xff  // inside the CRC-32
        let badChecksum = try fixtures.write(flipped, to: "crc.gz")
        var scrambled = packed
        for index in 12..<min(20, scrambled.count - 8) { scrambled[index] = 0xff }
        let badData = try fixtures.write(scrambled, to: "data.gz")
        for path in [truncated, badChecksum, badData] {
            let error = try #require(dataError { _ = try IDXFile.read(path) })
            guard case .corruptFile(let errorPath, _) = error else {
                Issue.record("expected corruptFile for \(path), got \(error)")
                continue
            }
            #expect(errorPath == path)
        }
    }

    @Test func missingFileIsUnreadable() throws {
        let error = try #require(dataError { _ = try IDXFile.read("/nonexistent/file.idx") })
        guard case .unreadableFile(let path, let reason) = error else {
            Issue.record("expected unreadableFile, got \(error)")
            return
        }
        #expect(path == "/nonexistent/file.idx")
        #expect(reason.contains("no such file"))
    }
}
