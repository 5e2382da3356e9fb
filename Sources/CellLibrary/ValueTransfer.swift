import Cell
import NN
import Tensor

/// Cell values as bytes, to move between processes: what `broadcast`, `gather` and
/// `cluster.push`/`pull` send. Numbers, booleans, strings, nil, arrays, dictionaries and tuples
/// travel as themselves; tensors and models as safetensors (a model as its state dict, which
/// the receiver loads into its own model of the same architecture).
///
/// Layout: one tag byte, then the payload; lengths and Ints are 8 bytes, little-endian.
///
/// ```swift
/// let bytes = try ValueTransfer.encode(value, session: session)
/// let copy = try ValueTransfer.decode(bytes, into: localModel, session: session)
/// ```
package enum ValueTransfer {
    private enum Tag: UInt8 {
        case nilValue, bool, int, double, string, array, dictionary, tuple, tensor, model
    }

    /// The bytes of `value`.
    ///
    /// - Throws: `CellError.typeMismatch` for values that cannot leave the process (functions,
    ///   data sets, optimizers, …).
    package static func encode(_ value: Value, session: Session) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try append(value, to: &bytes, session: session)
        return bytes
    }

    /// The value `bytes` encode. A model is loaded into `local` when `local` is a model (of
    /// the same architecture), and `local` is returned; otherwise the model is rebuilt from the
    /// architecture it was sent with.
    ///
    /// - Throws: `CellError.invalidValue` for damaged bytes, `NNError.stateDictMismatch` when
    ///   the models differ.
    package static func decode(_ bytes: [UInt8], into local: Value?, session: Session) throws
        -> Value
    {
        var reader = Reader(bytes: bytes)
        let value = try read(&reader, into: local, session: session)
        guard reader.offset == bytes.count else {
            throw CellError.invalidValue("received \(bytes.count - reader.offset) stray bytes")
        }
        return value
    }

    // MARK: - Writing

    private static func append(_ value: Value, to bytes: inout [UInt8], session: Session) throws {
        switch value {
        case .nilValue:
            bytes.append(Tag.nilValue.rawValue)
        case .bool(let flag):
            bytes.append(Tag.bool.rawValue)
            bytes.append(flag ? 1 : 0)
        case .int(let integer):
            bytes.append(Tag.int.rawValue)
            appendWord(UInt64(bitPattern: Int64(integer)), to: &bytes)
        case .double(let number):
            bytes.append(Tag.double.rawValue)
            appendWord(number.bitPattern, to: &bytes)
        case .string(let text):
            bytes.append(Tag.string.rawValue)
            appendChunk(Array(text.utf8), to: &bytes)
        case .array(let elements):
            bytes.append(Tag.array.rawValue)
            appendWord(UInt64(elements.count), to: &bytes)
            for element in elements { try append(element, to: &bytes, session: session) }
        case .tuple(let tuple):
            bytes.append(Tag.tuple.rawValue)
            appendWord(UInt64(tuple.elements.count), to: &bytes)
            for element in tuple.elements { try append(element, to: &bytes, session: session) }
        case .dictionary(let dictionary):
            bytes.append(Tag.dictionary.rawValue)
            appendWord(UInt64(dictionary.count), to: &bytes)
            for (key, element) in dictionary.pairs {
                try append(key, to: &bytes, session: session)
                try append(element, to: &bytes, session: session)
            }
        default:
            if let tensor = value.hostPayload(as: Tensor.self) {
                bytes.append(Tag.tensor.rawValue)
                appendChunk(
                    try SafeTensorsFile(tensors: ["value": tensor.detached]).encoded(), to: &bytes)
            } else if let layer = try LayerValues.layer(from: value, session: session) {
                bytes.append(Tag.model.rawValue)
                var metadata: [String: String] = [:]
                if let architecture = try? layer.architecture() {
                    metadata[ModelFileMetadata.architecture] = try architecture.jsonString()
                }
                appendChunk(
                    try SafeTensorsFile(tensors: layer.stateDict(), metadata: metadata).encoded(),
                    to: &bytes)
            } else {
                throw CellError.typeMismatch(
                    "a value of type \(value.typeName) cannot be sent to another rank; send "
                        + "numbers, strings, arrays, dictionaries, tensors or models")
            }
        }
    }

    private static func appendWord(_ word: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func appendChunk(_ chunk: [UInt8], to bytes: inout [UInt8]) {
        appendWord(UInt64(chunk.count), to: &bytes)
        bytes.append(contentsOf: chunk)
    }

    // MARK: - Reading

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw Reader.damaged }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func word() throws -> UInt64 {
            guard bytes.count - offset >= 8 else { throw Reader.damaged }
            var word: UInt64 = 0
            for index in (0..<8).reversed() { word = word << 8 | UInt64(bytes[offset + index]) }
            offset += 8
            return word
        }

        mutating func count() throws -> Int {
            let count = try word()
            guard count <= UInt64(bytes.count - offset) else { throw Reader.damaged }
            return Int(count)
        }

        mutating func chunk() throws -> [UInt8] {
            let length = try count()
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }

        static let damaged = CellError.invalidValue(
            "the value received from another rank is damaged")
    }

    private static func read(_ reader: inout Reader, into local: Value?, session: Session) throws
        -> Value
    {
        guard let tag = Tag(rawValue: try reader.byte()) else { throw Reader.damaged }
        switch tag {
        case .nilValue: return .nilValue
        case .bool: return .bool(try reader.byte() != 0)
        case .int: return .int(Int(Int64(bitPattern: try reader.word())))
        case .double: return .double(Double(bitPattern: try reader.word()))
        case .string: return .string(String(decoding: try reader.chunk(), as: UTF8.self))
        case .array, .tuple:
            let count = try reader.count()
            var elements: [Value] = []
            for _ in 0..<count { elements.append(try read(&reader, into: nil, session: session)) }
            return tag == .array ? .array(elements) : .tuple(TupleValue(elements))
        case .dictionary:
            let count = try reader.count()
            var dictionary = DictionaryValue()
            for _ in 0..<count {
                let key = try read(&reader, into: nil, session: session)
                dictionary[key] = try read(&reader, into: nil, session: session)
            }
            return .dictionary(dictionary)
        case .tensor:
            let file = try SafeTensorsFile(decoding: try reader.chunk())
            guard let tensor = file.tensors["value"] else { throw Reader.damaged }
            return try session.wrap(tensor)
        case .model:
            let file = try SafeTensorsFile(decoding: try reader.chunk())
            if let local, let layer = try LayerValues.layer(from: local, session: session) {
                try layer.load(stateDict: file.tensors)
                return local
            }
            guard let json = file.metadata[ModelFileMetadata.architecture] else {
                throw CellError.typeMismatch(
                    "this model cannot be rebuilt from its weights alone (a layer type without an "
                        + "architecture): make a model of the same architecture on the receiving "
                        + "side and broadcast into it")
            }
            let model = try LayerArchitecture(json: json).build()
            try model.load(stateDict: file.tensors)
            return try LayerValues.value(of: model, session: session)
        }
    }
}
