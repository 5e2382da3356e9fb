/// One parameter of a registered function, method, initializer or subscript: what argument
/// checking, completion of labels, inspection and `%help` read. Bindings declare parameters as
/// typed handles (`Param<Int>.labelled("epochs", default: 1)`), which make one; the untyped
/// forms (`.positional("x", type: "Double")`) remain for declarations read without a handle,
/// and `Registry.typeProblems` checks their type names.
public struct Parameter {
    /// The argument label callers write, or nil for an unlabelled (`_`) parameter.
    public var label: String?
    /// The parameter's name, shown in signatures and error messages.
    public var name: String
    /// The expected type as written in Swift (`"Int"`, `"[Layer]"`, `"Tensor?"`), or nil for any.
    public var type: String?
    /// The value used when the argument is omitted; nil when the argument is required.
    public var defaultValue: Value?
    /// Collects any number of arguments into an array (`_ items: Any...`).
    public var isVariadic = false
    /// Takes a builder closure whose expression statements' values are collected into an array
    /// (`Sequential { Flatten(); Dense(784, 128) }`).
    public var isBuilder = false
    /// Accepts an `&` argument (`print(…, to: &standardError)`).
    public var acceptsInout = false
    /// Text for the default in signatures, when `defaultValue` alone would not read well.
    public var defaultDescription: String?
    /// The parsed type (`.any` when untyped).
    var spec: TypeSpec
    /// Why `type` is not a type, when it is not.
    var typeError: String?

    /// Creates a parameter.
    public init(
        label: String?, name: String, type: String? = nil, defaultValue: Value? = nil,
        isVariadic: Bool = false, isBuilder: Bool = false, acceptsInout: Bool = false,
        defaultDescription: String? = nil
    ) {
        self.label = label
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isVariadic = isVariadic
        self.isBuilder = isBuilder
        self.acceptsInout = acceptsInout
        self.defaultDescription = defaultDescription
        switch type.map({ TypeSpec.parseRegistryType($0) }) {
        case nil: self.spec = .any
        case .success(let spec)?: self.spec = spec
        case .failure(let error)?:
            // Never "any": calls fail with the reason, and `Registry.typeProblems` lists it.
            self.spec = .named(type ?? "")
            self.typeError = error.message
        }
    }

    /// The parameter as a signature shows it: `_ x: Tensor`, `epochs: Int = 1`.
    var signatureText: String {
        var text = label == name ? name : "\(label ?? "_") \(name)"
        if isBuilder {
            text += ": () -> \(type ?? "[Any]")"
        } else if let type {
            text += ": " + (acceptsInout ? "inout " : "") + type
        }
        if isVariadic { text += (type == nil ? ": Any" : "") + "..." }
        if let description = defaultDescription ?? defaultValue.map({ $0.sourceLiteral }) {
            text += " = " + description
        }
        return text
    }

    /// The parameter's part of a selector: `epochs:` or `_:`.
    var selectorPart: String { "\(label ?? "_"):" }
}

/// A registered function's or method's full description (shared, immutable: calls pass it
/// along without copying its parts).
public final class Signature {
    /// The name callers write.
    public let name: String
    /// The parameters, in order.
    public let parameters: [Parameter]
    /// The result type as written in Swift, nil for none.
    public let returns: String?
    /// The documentation: a one-line summary, then details.
    public let doc: String

    /// Creates a signature.
    public init(
        name: String, parameters: [any ParameterDeclaration], returns: String? = nil, doc: String
    ) {
        self.name = name
        self.parameters = parameters.map(\.parameter)
        self.returns = returns
        self.doc = doc
    }

    /// `fit(_ data: Dataset, epochs: Int = 1) -> History`.
    public var text: String {
        let parameterList = parameters.map(\.signatureText).joined(separator: ", ")
        return "\(name)(\(parameterList))" + (returns.map { " -> \($0)" } ?? "")
    }

    /// `fit(_:epochs:)`.
    var selector: String { "\(name)(\(parameters.map(\.selectorPart).joined()))" }

    /// The first line of the documentation.
    public var summary: String {
        String(doc.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }
}
