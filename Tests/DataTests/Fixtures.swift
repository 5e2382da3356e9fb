import CZlib
import Foundation

@testable import Data

/// Files for the reader tests, written to a fresh temporary directory per test.
struct Fixtures {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("trainbook-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Foundation.Data(bytes).write(to: url)
        return url.path
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// An IDX file: magic 00 00 type rank, big-endian dimensions, then `payload`.
func idxBytes(type: UInt8, shape: [Int], payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
    for dimension in shape {
        let value = UInt32(truncatingIfNeeded: dimension)
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
    return bytes + payload
}

/// Why a fixture could not be made.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// `bytes` compressed as one gzip member (RFC 1952) by zlib.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    let status = deflateInit2_(
        stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
        zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else { throw FixtureError(description: "deflateInit2: \(status)") }
    defer { deflateEnd(stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
    let (result, written) = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = UInt32(source.count)
            stream.pointee.next_out = target.baseAddress
            stream.pointee.avail_out = UInt32(target.count)
            let result = deflate(stream, Z_FINISH)
            return (result, target.count - Int(stream.pointee.avail_out))
        }
    }
    guard result == Z_STREAM_END else { throw FixtureError(description: "deflate: \(result)") }
    return Array(output.prefix(written))
}

/// The error a throwing call raised, as a DataError (nil if it did not throw one).
func dataError(_ body: () throws -> Void) -> DataError? {
    do {
        try body()
        return nil
    } catch let error as DataError {
        return error
    } catch {
        return nil
    }
}
