import Foundation
import Testing

@testable import Tensor

/// The header goes through the shared JSON parser: linear time on hostile strings, strict
/// about what serde_json refuses, and written byte for byte as before.
@Suite struct SafeTensorsHeaderTests {
    /// A million `\"` escapes (2 MB of header). The old header parser took 112 s on two million
    /// (quadratic); the shared one reads it in one pass.
    @Test func aHeaderFullOfEscapedQuotesParsesInLinearTime() throws {
        let count = 1_000_000
        let header =
            #"{"__metadata__":{"note":""# + String(repeating: #"\""#, count: count) + #""}}"#
        let file = try SafeTensorsFile(decoding: safetensorsBytes(header: header))
        #expect(file.metadata["note"]?.utf8.count == count)
    }

    @Test func theHeaderIsWrittenCompactWithMetadataFirstAndTensorsInDataOrder() throws {
        let file = SafeTensorsFile(
            tensors: ["b": try Tensor.ones([2]), "a": try Tensor.zeros([1, 1])],
            metadata: ["z": "1", "format": "pt\"q"])
        let bytes = try file.encoded()
        let length = bytes.prefix(8).enumerated().reduce(0) {
            $0 | Int($1.element) << (8 * $1.offset)
        }
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(
            header.trimmingCharacters(in: .whitespaces)
                == #"{"__metadata__":{"format":"pt\"q","z":"1"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        )
        let read = try SafeTensorsFile(decoding: bytes)
        #expect(read.metadata == ["format": "pt\"q", "z": "1"])
    }
}
