import Foundation
import Testing

@testable import Tensor

/// The directory shared with Tests/Python/safetensors_interop.py, set by
/// scripts/test-steps/45-safetensors-interop.sh (the tests are skipped without it).
let interopDirectory = ProcessInfo.processInfo.environment["TRAINBOOK_SAFETENSORS_INTEROP"]

@Suite(.enabled(if: interopDirectory != nil, "run by scripts/test-steps/45-safetensors-interop.sh"))
struct SafeTensorsInteropTests {
    let directory = URL(fileURLWithPath: interopDirectory ?? "/nonexistent")

    @Test func readsWhatPythonWrote() throws {
        let file = try SafeTensorsFile.read(
            directory.appendingPathComponent("python.safetensors").path)
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("python.json")))
        let expected = try #require(json as? [String: Any])
        #expect(file.metadata == (expected["metadata"] as? [String: String]))
        let tensors = try #require(expected["tensors"] as? [String: [String: Any]])
        #expect(Set(file.tensors.keys) == Set(tensors.keys))
        for (name, entry) in tensors {
            let tensor = try #require(file.tensors[name], "\(name) is missing")
            let stored = try #require(entry["dtype"] as? String)
            #expect(tensor.shape == (entry["shape"] as? [Int]), "\(name)")
            #expect((file.convertedFrom[name] ?? SafeTensorsDType(tensor.dtype).rawValue) == stored)
            if let bits = entry["float32_bits"] as? [UInt32] {
                #expect(tensor.dtype == .float32)
                #expect(tensor.scalars.map(\.bitPattern) == bits, "\(name)")
            } else {
                let ints = try #require(entry["ints"] as? [Int])
                #expect(try integers(tensor) == ints, "\(name)")
            }
        }
    }

    @Test func writesWhatPythonReads() throws {
        var rng = RandomGenerator(seed: 7)
        let tensors: [String: Tensor] = [
            "1.weight": try Tensor.normal([8, 5], using: &rng),
            "1.bias": try Tensor.uniform([8], low: -1, high: 1, using: &rng),
            "3.weight": try Tensor.normal([3, 8], using: &rng).transposed(),
            "labels": try Tensor([3, -1, 2_000_000_000] as [Int32], shape: [3]),
            "pixels": try Tensor([0, 7, 255, 128] as [UInt8], shape: [2, 2]),
            "codes": try Tensor([-128, 127] as [Int8], shape: [2]),
            "scalar": Tensor(-0.5),
            "empty": try Tensor.zeros([2, 0]),
        ]
        let metadata = ["format": "pt"]
        try SafeTensorsFile(tensors: tensors, metadata: metadata)
            .write(to: directory.appendingPathComponent("swift.safetensors").path)
        var expected: [String: Any] = [:]
        for (name, tensor) in tensors {
            var entry: [String: Any] = [
                "dtype": SafeTensorsDType(tensor.dtype).rawValue, "shape": tensor.shape,
            ]
            if tensor.dtype == .float32 {
                entry["float32_bits"] = tensor.scalars.map(\.bitPattern)
            } else {
                entry["ints"] = try integers(tensor)
            }
            expected[name] = entry
        }
        let json = try JSONSerialization.data(withJSONObject: [
            "tensors": expected, "metadata": metadata,
        ])
        try json.write(to: directory.appendingPathComponent("swift.json"))
    }
}

/// The elements of an integer tensor, exactly.
func integers(_ tensor: Tensor) throws -> [Int] {
    switch tensor.dtype {
    case .int32: return try tensor.scalars(as: Int32.self).map(Int.init)
    case .uint8: return try tensor.scalars(as: UInt8.self).map(Int.init)
    case .int8: return try tensor.scalars(as: Int8.self).map(Int.init)
    case .float32: return tensor.scalars.map { Int($0) }
    }
}
