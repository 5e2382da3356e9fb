import JSON

/// The JSON header of a safetensors file: where each tensor's bytes are and what they mean, plus
/// the free-form `__metadata__`, checked as strictly as the reference implementation checks it
/// (and a little more: duplicate keys and unknown fields are errors too).
struct SafeTensorsHeader {
    /// One tensor's record.
    struct Entry {
        let name: String
        let dtype: SafeTensorsDType
        let shape: [Int]
        /// Byte range in the data section (after the header).
        let begin: Int
        let end: Int

        var byteCount: Int { end - begin }
        var elementCount: Int { shape.reduce(1, *) }
    }

    /// The tensors, in the order of their data.
    let entries: [Entry]
    /// The string → string metadata.
    let metadata: [String: String]

    /// The bytes of data the entries cover.
    var dataLength: Int { entries.last?.end ?? 0 }

    /// The reference implementation's limit on the header length (100 MB).
    static let maximumLength = 100_000_000

    /// The reserved key of the metadata.
    static let metadataKey = "__metadata__"

    init(entries: [Entry], metadata: [String: String]) {
        self.entries = entries
        self.metadata = metadata
    }
}

// MARK: - Reading

extension SafeTensorsHeader {
    /// Parses and validates the header bytes of the file at `path`.
    init(parsing bytes: [UInt8], path: String) throws(SafeTensorsError) {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidHeader(path: path, problem: "the header is not valid UTF-8")
        }
        guard bytes.first == UInt8(ascii: "{") else {
            throw .invalidHeader(path: path, problem: "the header does not start with '{'")
        }
        let root: JSONValue
        do {
            root = try JSONValue(parsing: bytes, options: .strict)
        } catch {
            throw .invalidHeader(
                path: path,
                problem: "the header is not valid JSON: \(error.summary) at byte "
                    + "\(error.offset) of the header")
        }
        guard case .object(let members) = root else {
            throw .invalidHeader(path: path, problem: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (key, value) in members {
            if key == Self.metadataKey {
                metadata = try Self.metadata(value, path: path)
            } else {
                entries.append(try Self.entry(named: key, value, path: path))
            }
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        try Self.checkContiguous(entries, path: path)
        self.init(entries: entries, metadata: metadata)
    }

    private static func metadata(_ value: JSONValue, path: String) throws(SafeTensorsError)
        -> [String: String]
    {
        guard case .object(let members) = value else {
            throw .invalidHeader(
                path: path, problem: "__metadata__ must be an object, found \(value.kind)")
        }
        var metadata: [String: String] = [:]
        for (key, entry) in members {
            guard case .string(let text) = entry else {
                throw .invalidHeader(
                    path: path,
                    problem: "__metadata__ values must be strings; \"\(key)\" is \(entry.kind)")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func entry(named name: String, _ value: JSONValue, path: String)
        throws(SafeTensorsError) -> Entry
    {
        func problem(_ text: String) -> SafeTensorsError {
            .invalidTensor(path: path, tensor: name, problem: text)
        }
        guard case .object(let fields) = value else {
            throw problem("its entry must be an object, found \(value.kind)")
        }
        var dtype: SafeTensorsDType?
        var shape: [Int]?
        var offsets: [Int]?
        for (key, field) in fields {
            switch key {
            case "dtype":
                guard case .string(let text) = field else {
                    throw problem("dtype must be a string, found \(field.kind)")
                }
                guard let known = SafeTensorsDType(rawValue: text) else {
                    throw problem("unknown dtype \"\(text)\"")
                }
                dtype = known
            case "shape":
                shape = try integers(field, what: "shape", problem)
            case "data_offsets":
                offsets = try integers(field, what: "data_offsets", problem)
            default:
                throw problem("unknown field \"\(key)\" (expected dtype, shape, data_offsets)")
            }
        }
        guard let dtype else { throw problem("the dtype is missing") }
        guard let shape else { throw problem("the shape is missing") }
        guard let offsets else { throw problem("data_offsets is missing") }
        guard offsets.count == 2, offsets[0] <= offsets[1] else {
            throw problem("data_offsets must be [begin, end] with begin ≤ end, found \(offsets)")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw problem("shape \(shape) has too many elements") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, byteCount == offsets[1] - offsets[0] else {
            throw problem(
                "data_offsets \(offsets) hold \(offsets[1] - offsets[0]) bytes, but "
                    + "\(dtype.rawValue) \(shape) needs "
                    + (overflow ? "more than the machine can address" : "\(byteCount)"))
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    private static func integers(
        _ value: JSONValue, what: String, _ problem: (String) -> SafeTensorsError
    ) throws(SafeTensorsError) -> [Int] {
        guard case .array(let elements) = value else {
            throw problem("\(what) must be an array of integers, found \(value.kind)")
        }
        var result: [Int] = []
        for element in elements {
            guard case .int(let integer) = element, integer >= 0 else {
                throw problem("\(what) must hold non-negative integers, found \(element.kind)")
            }
            result.append(integer)
        }
        return result
    }

    /// Data sections must tile the data from 0 with no gap and no overlap.
    private static func checkContiguous(_ entries: [Entry], path: String)
        throws(SafeTensorsError)
    {
        var expected = 0
        var previous: String?
        for entry in entries {
            guard entry.begin == expected else {
                let relation =
                    entry.begin < expected
                    ? "overlaps \(previous.map { "\"\($0)\"" } ?? "another tensor")"
                    : "leaves a gap of \(entry.begin - expected) bytes after "
                        + (previous.map { "\"\($0)\"" } ?? "the start of the data")
                throw .invalidTensor(
                    path: path, tensor: entry.name,
                    problem: "data_offsets [\(entry.begin), \(entry.end)] \(relation) "
                        + "(tensors must be packed one after another from offset 0)")
            }
            expected = entry.end
            previous = entry.name
        }
    }
}

// MARK: - Writing

extension SafeTensorsHeader {
    /// Lays out `tensors` as the reference implementation does: sorted by dtype (widest
    /// alignment first), then by name (bytewise), packed from offset 0.
    init(
        laying tensors: [(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: Int)],
        metadata: [String: String]
    ) {
        let ordered = tensors.sorted { left, right in
            left.dtype != right.dtype
                ? left.dtype > right.dtype
                : left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
        }
        var offset = 0
        var entries: [Entry] = []
        for tensor in ordered {
            entries.append(
                Entry(
                    name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, begin: offset,
                    end: offset + tensor.bytes))
            offset += tensor.bytes
        }
        self.init(entries: entries, metadata: metadata)
    }

    /// The header as written: compact JSON (`__metadata__` first with its keys sorted, then
    /// the tensors in data order), padded with spaces to a multiple of 8 bytes.
    var encoded: [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        func key(_ name: String) {
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.writeString(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
        if !metadata.isEmpty {
            key(Self.metadataKey)
            JSONValue.object(metadata.mapValues { .string($0) })
                .writeJSON(into: &bytes, format: JSONFormat(sortedKeys: true))
        }
        for entry in entries {
            key(entry.name)
            bytes += Array(#"{"dtype":"#.utf8)
            JSONValue.writeString(entry.dtype.rawValue, into: &bytes)
            bytes += Array(#","shape":"#.utf8)
            JSONValue.array(entry.shape.map { .int($0) }).writeJSON(into: &bytes)
            bytes += Array(#","data_offsets":"#.utf8)
            JSONValue.array([.int(entry.begin), .int(entry.end)]).writeJSON(into: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "}"))
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }
}

extension JSONValue {
    /// A short name of the value's kind, for error messages ("an object", "the number 1.5").
    fileprivate var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .int(let value): return "the number \(value)"
        case .double(let value): return "the number \(value)"
        case .bool(let value): return "\(value)"
        case .null: return "null"
        }
    }
}
