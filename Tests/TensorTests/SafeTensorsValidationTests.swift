import Testing

@testable import Tensor

/// One malformed file and the words its error must contain.
struct MalformedFile: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let expected: [String]

    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ expected: String...) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
    }

    init(_ name: String, header: String, data: [UInt8] = [], _ expected: String...) {
        self.name = name
        self.bytes = safetensorsBytes(header: header, data: data)
        self.expected = expected
    }
}

let eightBytes = [UInt8](repeating: 0, count: 8)
let oneFloat = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

let malformedFiles: [MalformedFile] = [
    MalformedFile("shorter than the length", [1, 0, 0], "fewer than the 8-byte"),
    MalformedFile(
        "header beyond the limit", [0, 0, 0, 0x10, 0, 0, 0, 0] + Array("{}".utf8), "limit"),
    MalformedFile(
        "header past the end", [100, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8), "runs past the end"),
    MalformedFile(
        "not UTF-8", [6, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x22, 0xff, 0x22, 0x3a, 0x7d], "UTF-8"),
    MalformedFile("not an object", header: "[]", "start with '{'"),
    MalformedFile("trailing comma", header: #"{"a":{},}"#, "not valid JSON"),
    MalformedFile("text after the object", header: "{} x", "not valid JSON", "after the JSON"),
    MalformedFile(
        "duplicate tensor",
        header:
            #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#,
        data: [1, 2], "duplicate key \"w\""),
    MalformedFile(
        "metadata not strings", header: #"{"__metadata__":{"epochs":3}}"#, "must be strings",
        "epochs"),
    MalformedFile("metadata not an object", header: #"{"__metadata__":"pt"}"#, "must be an object"),
    MalformedFile(
        "unknown dtype", header: #"{"w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#,
        "\"w\"", "unknown dtype"),
    MalformedFile(
        "negative dimension", header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#,
        "\"w\"", "non-negative integers"),
    MalformedFile(
        "fractional dimension",
        header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,
        "non-negative integers"),
    MalformedFile(
        "offsets too short for the shape",
        header: #"{"w":{"dtype":"F32","shape":[128,784],"data_offsets":[0,400]}}"#,
        data: [UInt8](repeating: 0, count: 400), "\"w\"", "needs 401408"),
    MalformedFile(
        "offsets reversed", header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#,
        "begin ≤ end"),
    MalformedFile(
        "three offsets", header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#,
        "[begin, end]"),
    MalformedFile(
        "overlap",
        header:
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
        data: eightBytes, "\"b\"", "overlaps \"a\""),
    MalformedFile(
        "gap",
        header:
            #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}"#,
        data: [UInt8](repeating: 0, count: 6), "\"b\"", "gap of 2 bytes"),
    MalformedFile(
        "not starting at zero", header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#,
        data: [0, 0, 0, 0], "gap of 2 bytes"),
    MalformedFile("truncated data", header: oneFloat, data: [0, 0, 0, 0], "truncated", "4 bytes"),
    MalformedFile("trailing bytes", header: oneFloat, data: eightBytes + [9], "1 unexpected bytes"),
    MalformedFile(
        "unknown field", header: #"{"w":{"dtype":"U8","shape":[1],"offsets":[0,1]}}"#, data: [0],
        "unknown field \"offsets\""),
    MalformedFile(
        "missing shape", header: #"{"w":{"dtype":"U8","data_offsets":[0,1]}}"#, data: [0],
        "shape is missing"),
    MalformedFile("entry not an object", header: #"{"w":[1]}"#, "must be an object"),
    MalformedFile(
        "dimension overflow",
        header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#,
        "too many elements"),
    MalformedFile(
        "F8 cannot be read", header: #"{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#,
        data: [0], "F8_E4M3", "cannot read"),
    MalformedFile(
        "I64 beyond Int32", header: #"{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,
        data: [0, 0, 0, 0, 1, 0, 0, 0], "does not fit in Int32"),
    MalformedFile(
        "BOOL that is 2", header: #"{"w":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}"#,
        data: [2], "not 0 or 1"),
    MalformedFile("unpaired surrogate", header: #"{"\ud800":{}}"#, "surrogate"),
    MalformedFile("raw control character", header: "{\"a\u{01}\":{}}", "control character"),
    MalformedFile(
        "leading zero", header: #"{"w":{"dtype":"U8","shape":[01],"data_offsets":[0,1]}}"#,
        data: [0], "leading zero"),
    MalformedFile(
        "deep nesting",
        header: "{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
            + "}", "nests too deeply"),
]

@Suite struct SafeTensorsValidationTests {
    @Test(arguments: malformedFiles)
    func malformedFileIsAClearError(_ file: MalformedFile) throws {
        let error = try #require(
            safeTensorsError {
                _ = try SafeTensorsFile(decoding: file.bytes, path: "bad.safetensors")
            },
            "\(file.name) was accepted")
        let message = error.description
        #expect(message.hasPrefix("bad.safetensors"), "\(message)")
        for words in file.expected {
            #expect(message.contains(words), "\(file.name): \(message)")
        }
    }

    @Test func everyPrefixOfAValidFileIsRejected() throws {
        let valid = try SafeTensorsFile(
            tensors: ["a": try Tensor([1, 2, 3]), "b": try Tensor([4] as [Int32], shape: [1])],
            metadata: ["k": "v"]
        ).encoded()
        #expect(throws: Never.self) { try SafeTensorsFile(decoding: valid) }
        for length in 0..<valid.count {
            #expect(throws: SafeTensorsError.self) {
                try SafeTensorsFile(decoding: Array(valid.prefix(length)))
            }
        }
    }

    @Test func whitespaceAndEscapesInTheHeaderAreAccepted() throws {
        let header =
            " {\n \"w\\u00e9\\/x\" : { \"shape\" : [ 1 ] , \"dtype\" : \"U8\" , \"data_offsets\" : [0, 1] } }\t"
        // A header must start with '{'; after it any JSON whitespace is fine.
        #expect(throws: SafeTensorsError.self) {
            try SafeTensorsFile(decoding: safetensorsBytes(header: header, data: [7]))
        }
        let trimmed = String(header.dropFirst())
        let file = try SafeTensorsFile(decoding: safetensorsBytes(header: trimmed, data: [7]))
        #expect(try file.tensors["wé/x"]?.scalars(as: UInt8.self) == [7])
    }

    @Test func tensorsBeyondTheMemoryBudgetAreRefusedBeforeReading() throws {
        // 2^40 floats claimed, and the data really "is" that long only in the header: the
        // length check fails first, so no allocation is attempted.
        let header =
            #"{"w":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,4398046511104]}}"#
        let error = try #require(
            safeTensorsError {
                _ = try SafeTensorsFile(decoding: safetensorsBytes(header: header, data: [0]))
            })
        guard case .dataLengthMismatch = error else {
            Issue.record("expected dataLengthMismatch, got \(error)")
            return
        }
    }
}
