import Synchronization

/// A type as the language checks it: parsed once from a registry string (`"[Layer]"`) or from
/// an annotation in a cell (`let x: [Double] = …`).
indirect enum TypeSpec: Sendable, Equatable {
    case any
    case named(String)
    case array(TypeSpec)
    case dictionary(key: TypeSpec, value: TypeSpec)
    case optional(TypeSpec)
    /// Element types, and their labels when any element has one.
    case tuple([TypeSpec], labels: [String?]?)
    case function(parameterCount: Int, result: TypeSpec)

    /// The names a registry signature may use for a generic parameter (`(Element) -> Bool`):
    /// any value.
    static let genericPlaceholders: Set<String> = ["T", "U", "Element", "Key", "Value"]

    /// Parses a Swift type.
    ///
    /// - Parameters:
    ///   - text: the type as Swift writes it (`[Layer]`, `Double?`, `(Tensor) -> Tensor`).
    ///   - genericPlaceholders: whether `T`, `Element`, `Key` and `Value` stand for any value
    ///     (registry signatures), rather than naming types.
    /// - Returns: the type, or `CellError.invalidValue` saying why the text is not one.
    static func parse(_ text: String, genericPlaceholders: Bool = false) -> Result<
        TypeSpec, CellError
    > {
        let file = SourceFile(name: "<type>", text: text)
        var parser = Parser(file: file)
        let syntax = parser.parseType()
        if let diagnostic = parser.diagnostics.first {
            return .failure(.invalidValue("'\(text)' is not a type: \(diagnostic.message)"))
        }
        guard parser.atEnd else {
            return .failure(.invalidValue("'\(text)' is not a type: text follows the type"))
        }
        let spec = TypeSpec(syntax)
        return .success(genericPlaceholders ? spec.replacingPlaceholders() : spec)
    }

    /// `parse(text, genericPlaceholders: true)`, remembered: the library's thousands of
    /// parameters name a few hundred types, and parsing each afresh (a lexer and parser per
    /// parameter) was a tenth of a kernel's start.
    static func parseRegistryType(_ text: String) -> Result<TypeSpec, CellError> {
        if let known = registryTypes.withLock({ $0[text] }) { return known }
        let parsed = parse(text, genericPlaceholders: true)
        registryTypes.withLock { $0[text] = parsed }
        return parsed
    }

    /// The registry types parsed so far, by their text.
    private static let registryTypes = Mutex<[String: Result<TypeSpec, CellError>]>([:])

    /// The type with generic placeholders replaced by `.any`.
    private func replacingPlaceholders() -> TypeSpec {
        switch self {
        case .any: return .any
        case .named(let name): return TypeSpec.genericPlaceholders.contains(name) ? .any : self
        case .array(let element): return .array(element.replacingPlaceholders())
        case .dictionary(let key, let value):
            return .dictionary(
                key: key.replacingPlaceholders(), value: value.replacingPlaceholders())
        case .optional(let wrapped): return .optional(wrapped.replacingPlaceholders())
        case .tuple(let elements, let labels):
            return .tuple(elements.map { $0.replacingPlaceholders() }, labels: labels)
        case .function(let count, let result):
            return .function(parameterCount: count, result: result.replacingPlaceholders())
        }
    }

    /// Every type name the type mentions (`[String: Tensor]` mentions String and Tensor).
    var namedTypes: [String] {
        switch self {
        case .any: return []
        case .named(let name): return [name]
        case .array(let element): return element.namedTypes
        case .dictionary(let key, let value): return key.namedTypes + value.namedTypes
        case .optional(let wrapped): return wrapped.namedTypes
        case .tuple(let elements, _): return elements.flatMap(\.namedTypes)
        case .function(_, let result): return result.namedTypes
        }
    }

    /// Converts a written type.
    init(_ syntax: TypeSyntax) {
        switch syntax.kind {
        case .named(let name, let arguments):
            switch (name, arguments.count) {
            case ("Any", _), ("AnyObject", _): self = .any
            case ("Array", 1): self = .array(TypeSpec(arguments[0]))
            case ("Dictionary", 2):
                self = .dictionary(key: TypeSpec(arguments[0]), value: TypeSpec(arguments[1]))
            case ("Optional", 1): self = .optional(TypeSpec(arguments[0]))
            case ("Float", _), ("Float32", _), ("Float64", _), ("CGFloat", _):
                self = .named("Double")
            case ("Int64", _), ("Int32", _), ("UInt", _), ("UInt8", _): self = .named("Int")
            case ("Character", _), ("Substring", _): self = .named("String")
            default: self = .named(name)
            }
        case .array(let element): self = .array(TypeSpec(element))
        case .dictionary(let key, let value):
            self = .dictionary(key: TypeSpec(key), value: TypeSpec(value))
        case .optional(let wrapped): self = .optional(TypeSpec(wrapped))
        case .tuple(let elements, let labels):
            self =
                elements.isEmpty
                ? .named("Void")
                : .tuple(
                    elements.map(TypeSpec.init),
                    labels: labels.allSatisfy { $0 == nil } ? nil : labels)
        case .function(let parameters, let result):
            self = .function(parameterCount: parameters.count, result: TypeSpec(result))
        case .missing: self = .any
        }
    }

    /// The type as Swift writes it.
    var description: String {
        switch self {
        case .any: return "Any"
        case .named(let name): return name
        case .array(let element): return "[\(element.description)]"
        case .dictionary(let key, let value): return "[\(key.description): \(value.description)]"
        case .optional(let wrapped): return "\(wrapped.description)?"
        case .tuple(let elements, let labels):
            let written = elements.enumerated().map { position, element in
                (labels?[position].map { "\($0): " } ?? "") + element.description
            }
            return "(\(written.joined(separator: ", ")))"
        case .function(let count, let result):
            let parameters = Array(repeating: "Any", count: count).joined(separator: ", ")
            return "(\(parameters)) -> \(result.description)"
        }
    }

    /// The type a `.member` written where this type is expected is looked up in.
    var implicitMemberTypeName: String? {
        switch self {
        case .named(let name): return name
        case .optional(let wrapped): return wrapped.implicitMemberTypeName
        default: return nil
        }
    }
}

/// A declared type reduced so the common checks (`Int`, `Double`, `Bool`, `String`) need no
/// lookup and no call.
enum TypeCheck {
    case int
    case double
    case bool
    case string
    case general(GeneralType)

    init(_ spec: TypeSpec) {
        switch spec {
        case .named("Int"): self = .int
        case .named("Double"): self = .double
        case .named("Bool"): self = .bool
        case .named("String"): self = .string
        default: self = .general(GeneralType(spec))
        }
    }

    /// The full type.
    var spec: TypeSpec {
        switch self {
        case .int: return .named("Int")
        case .double: return .named("Double")
        case .bool: return .named("Bool")
        case .string: return .named("String")
        case .general(let type): return type.spec
        }
    }
}

/// A type that needs the general check, boxed so that copying a `TypeCheck` is cheap.
final class GeneralType {
    let spec: TypeSpec

    init(_ spec: TypeSpec) { self.spec = spec }
}
