import Foundation

/// A description of a layer and its children from which an equivalent, freshly initialised
/// layer can be built: what a model file records in its safetensors `__metadata__` so that
/// `loadModel(from:)` can rebuild the model before loading its weights.
///
/// Encoded as JSON, `Dense(784, 128, activation: .relu)` is
/// `{"type":"Dense","options":{"inputSize":784,"outputSize":128,"activation":"relu",…}}`.
public struct LayerArchitecture: Codable, Sendable, Equatable {
    /// The layer's type name ("Dense", "Sequential", …).
    public var type: String
    /// The constructor arguments, by name.
    public var options: [String: ArchitectureOption]
    /// The child layers, in order (for containers).
    public var children: [LayerArchitecture]

    /// A description of a layer of `type` with the given options and children.
    public init(
        type: String, options: [String: ArchitectureOption] = [:],
        children: [LayerArchitecture] = []
    ) {
        self.type = type
        self.options = options
        self.children = children
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case options
        case children
    }

    /// Decodes a description; `options` and `children` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        options =
            try container.decodeIfPresent([String: ArchitectureOption].self, forKey: .options)
            ?? [:]
        children =
            try container.decodeIfPresent([LayerArchitecture].self, forKey: .children) ?? []
    }

    /// Encodes the description, leaving out empty options and children.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        if !options.isEmpty { try container.encode(options, forKey: .options) }
        if !children.isEmpty { try container.encode(children, forKey: .children) }
    }

    /// The description as compact JSON with sorted keys.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The description encoded in `json`.
    public init(json: String) throws {
        do {
            self = try JSONDecoder().decode(
                LayerArchitecture.self, from: Foundation.Data(json.utf8))
        } catch {
            throw NNError.invalidArchitecture("the architecture JSON cannot be read (\(error))")
        }
    }
}

/// One constructor argument in a `LayerArchitecture`.
public enum ArchitectureOption: Codable, Sendable, Equatable {
    /// A whole number.
    case int(Int)
    /// A real number.
    case number(Double)
    /// A flag.
    case bool(Bool)
    /// A name (an activation, a padding mode).
    case string(String)
    /// A list of whole numbers (a kernel size, a shape).
    case ints([Int])

    /// A Float as the shortest decimal that reads back to it (0.1, not 0.10000000149).
    public static func float(_ value: Float) -> ArchitectureOption {
        .number(Double(value.description) ?? Double(value))
    }

    /// Decodes from a JSON number, boolean, string or array of integers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([Int].self) {
            self = .ints(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "an option must be a number, boolean, string or integer list")
        }
    }

    /// Encodes as a plain JSON value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .ints(let value): try container.encode(value)
        }
    }
}
