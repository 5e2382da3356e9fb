import Foundation
import Testing

@testable import Tensor

/// A safetensors file made by hand: the 8-byte little-endian length of `header`, the header,
/// then `data`.
func safetensorsBytes(header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * $0)) } + json + data
}

/// The little-endian bytes of Float values.
func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in
        (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
    }
}

@Suite struct SafeTensorsTests {
    @Test func writesTheReferenceBytesForOneTensor() throws {
        // The reference implementation's own serialization example: "attn.0", F32 [1, 2, 3]
        // holding 0…5; its compact header is 64 bytes, so it needs no padding.
        let tensor = try Tensor([0, 1, 2, 3, 4, 5], shape: [1, 2, 3])
        let bytes = try SafeTensorsFile(tensors: ["attn.0": tensor]).encoded()
        let header = #"{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}"#
        #expect(
            bytes == safetensorsBytes(header: header, data: littleEndianBytes([0, 1, 2, 3, 4, 5])))
    }

    @Test func padsTheHeaderWithSpacesToEightBytes() throws {
        #expect(try SafeTensorsFile().encoded() == safetensorsBytes(header: "{}      "))
        let withMetadata = try SafeTensorsFile(metadata: ["framework": "pt"]).encoded()
        #expect(
            withMetadata == safetensorsBytes(header: #"{"__metadata__":{"framework":"pt"}}     "#))
        let short = try SafeTensorsFile(tensors: [
            "attn0": try Tensor([0, 1, 2, 3, 4, 5], shape: [1, 1, 2, 3])
        ])
        .encoded()
        #expect(short.count == 8 + 72 + 24)
        #expect(short[8 + 65..<8 + 72].allSatisfy { $0 == UInt8(ascii: " ") })
    }

    @Test func ordersTensorsByAlignmentThenName() throws {
        let file = SafeTensorsFile(
            tensors: [
                "b": try Tensor([1, 2] as [UInt8], shape: [2]),
                "a": try Tensor([1] as [Int8], shape: [1]),
                "z": try Tensor([1]),
                "c": try Tensor([7] as [Int32], shape: [1]),
                "y": try Tensor([2]),
            ],
            metadata: ["b": "2", "a": "1"])
        let bytes = try file.encoded()
        let length = Int(bytes[0]) | Int(bytes[1]) << 8
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        let parsed = try SafeTensorsHeader(parsing: Array(bytes[8..<(8 + length)]), path: "x")
        #expect(parsed.entries.map(\.name) == ["y", "z", "c", "a", "b"])
        #expect(parsed.entries.map(\.begin) == [0, 4, 8, 12, 13])
        #expect(header.hasPrefix(#"{"__metadata__":{"a":"1","b":"2"},"y":{"dtype":"F32""#))
        #expect(try file.encoded() == bytes)  // deterministic
    }

    @Test func roundTripsEveryDTypeAndTheMetadata() throws {
        let original = SafeTensorsFile(
            tensors: [
                "weight": try Tensor([1.5, -2, 3.25, 0, .infinity, -0.0], shape: [2, 3]),
                "labels": try Tensor([Int32.min, -1, 0, Int32.max], shape: [4]),
                "pixels": try Tensor([0, 128, 255] as [UInt8], shape: [3]),
                "codes": try Tensor([-128, 0, 127] as [Int8], shape: [3, 1]),
                "scalar": Tensor(42),
                "empty": try Tensor.zeros([0, 5]),
                "name with \"quotes\" and é\n": try Tensor([1]),
            ],
            metadata: ["format": "pt", "architecture": #"{"layers": [1, 2]}"#])
        let decoded = try SafeTensorsFile(decoding: original.encoded())
        #expect(decoded.metadata == original.metadata)
        #expect(Set(decoded.tensors.keys) == Set(original.tensors.keys))
        for (name, tensor) in original.tensors {
            let copy = try #require(decoded.tensors[name])
            #expect(copy.shape == tensor.shape, "\(name)")
            #expect(copy.dtype == tensor.dtype, "\(name)")
            #expect(copy.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
        #expect(decoded.convertedFrom.isEmpty)
    }

    @Test func writesViewsInLogicalOrder() throws {
        let matrix = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]).transposed()
        let decoded = try SafeTensorsFile(
            decoding: SafeTensorsFile(tensors: ["t": matrix]).encoded())
        #expect(decoded.tensors["t"]?.shape == [3, 2])
        #expect(decoded.tensors["t"]?.scalars == [1, 4, 2, 5, 3, 6])
    }

    @Test func readsWiderAndNarrowerTypesByConverting() throws {
        // F16: 1, -2, 65504, 2^-24 (the smallest subnormal), +inf.
        let half: [UInt8] = [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c]
        // BF16: 1, -0.5.
        let bfloat: [UInt8] = [0x80, 0x3f, 0x00, 0xbf]
        // F64: 0.1.
        let double = withUnsafeBytes(of: (0.1 as Double).bitPattern.littleEndian) { Array($0) }
        // I64: -3, 2^31 - 1.
        let long: [UInt8] = [
            0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0,
        ]
        // U16 65535, I16 -2, BOOL 1 0.
        let rest: [UInt8] = [0xff, 0xff, 0xfe, 0xff, 1, 0]
        let header = """
            {"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},\
            "b":{"dtype":"BF16","shape":[2],"data_offsets":[10,14]},\
            "d":{"dtype":"F64","shape":[],"data_offsets":[14,22]},\
            "l":{"dtype":"I64","shape":[2],"data_offsets":[22,38]},\
            "u":{"dtype":"U16","shape":[1],"data_offsets":[38,40]},\
            "s":{"dtype":"I16","shape":[1],"data_offsets":[40,42]},\
            "f":{"dtype":"BOOL","shape":[2],"data_offsets":[42,44]}}
            """
        let file = try SafeTensorsFile(
            decoding: safetensorsBytes(header: header, data: half + bfloat + double + long + rest))
        #expect(file.tensors["h"]?.scalars == [1, -2, 65504, 0x1p-24, .infinity])
        #expect(file.tensors["b"]?.scalars == [1, -0.5])
        #expect(file.tensors["d"]?.scalars == [Float(0.1 as Double)])
        #expect(try file.tensors["l"]?.scalars(as: Int32.self) == [-3, Int32.max])
        #expect(try file.tensors["u"]?.scalars(as: Int32.self) == [65535])
        #expect(try file.tensors["s"]?.scalars(as: Int32.self) == [-2])
        #expect(try file.tensors["f"]?.scalars(as: UInt8.self) == [1, 0])
        #expect(file.convertedFrom["h"] == "F16")
        #expect(file.convertedFrom["l"] == "I64")
        #expect(StoredValue.float(half: 0x7e00).isNaN)
        #expect(StoredValue.float(half: 0x8000).sign == .minus)
    }

    @Test func writesAtomicallyAndReplacesTheOldFile() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("trainbook-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        try SafeTensorsFile(tensors: ["w": try Tensor([1, 2])]).write(to: path)
        try SafeTensorsFile(tensors: ["w": try Tensor([3, 4, 5])]).write(to: path)
        #expect(try SafeTensorsFile.read(path).tensors["w"]?.scalars == [3, 4, 5])
        // A refused write leaves the file as it was and no temporary file behind.
        #expect(throws: SafeTensorsError.self) {
            try SafeTensorsFile(tensors: ["__metadata__": try Tensor([1])]).write(to: path)
        }
        #expect(try SafeTensorsFile.read(path).tensors["w"]?.scalars == [3, 4, 5])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path) == [
                "model.safetensors"
            ])
        let missing = directory.appendingPathComponent("no/such/dir/model.safetensors").path
        let error = try #require(safeTensorsError { try SafeTensorsFile().write(to: missing) })
        guard case .unwritableFile(let errorPath, _) = error else {
            Issue.record("expected unwritableFile, got \(error)")
            return
        }
        #expect(errorPath == missing)
    }

    @Test func missingFileIsUnreadable() throws {
        let error = try #require(
            safeTensorsError { _ = try SafeTensorsFile.read("/nonexistent/x.safetensors") })
        #expect(
            error.description == "cannot read /nonexistent/x.safetensors: no such file or directory"
        )
    }
}

/// The SafeTensorsError a call threw, nil if it threw nothing or something else.
func safeTensorsError(_ body: () throws -> Void) -> SafeTensorsError? {
    do {
        try body()
        return nil
    } catch let error as SafeTensorsError {
        return error
    } catch {
        return nil
    }
}
