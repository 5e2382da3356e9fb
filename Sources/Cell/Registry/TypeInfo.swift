import KernelInterface

/// A type bound through the registry: one of the language's own (Int, String, Array, …) or a
/// library type (Tensor, Sequential, …). Everything evaluation, argument checking, completion,
/// inspection and `%help` know about the type is here.
public final class TypeInfo {
    /// The name cells write.
    public let name: String
    /// Whether instances are values (copied on assignment) or references (shared).
    public let kind: TypeKind
    /// The documentation: a one-line summary, then details.
    public internal(set) var doc: String
    /// The module the type belongs to, for `%help`.
    public let module: String
    /// The protocols the type conforms to (`Layer`).
    public internal(set) var conformances: Set<String>
    var methods: [String: [Method]] = [:]
    var properties: [String: Property] = [:]
    var staticProperties: [String: StaticProperty] = [:]
    var staticMethods: [String: [HostFunction]] = [:]
    package var initializers: [HostFunction] = []
    var subscripts: [Subscript] = []
    var callAsFunction: [Method] = []
    package var display: ((Value) -> MimeBundle?)?
    var describe: ((Value) -> String)?
    var iterate: ((Value, Session) throws -> () throws -> Value?)?
    var summarize: ((Value) -> String?)?
    var countBytes: ((Value) -> Int)?

    init(name: String, kind: TypeKind, doc: String, module: String, conformances: Set<String>) {
        self.name = name
        self.kind = kind
        self.doc = doc
        self.module = module
        self.conformances = conformances
    }

    /// Names of instance members, for completion.
    var memberNames: [String] {
        Array(methods.keys) + Array(properties.keys)
    }

    /// Names of static members and implicit members, for completion.
    var staticMemberNames: [String] {
        Array(staticProperties.keys) + Array(staticMethods.keys)
    }
}

/// Whether a type's instances are values or references.
public enum TypeKind: Sendable {
    /// Copied on assignment (with copy-on-write storage): tensors, arrays, user structs.
    case value
    /// Shared on assignment: models, optimizers, data sets.
    case reference
}

/// A registered method.
final class Method {
    let signature: Signature
    /// Whether the method changes its receiver (`append`); it then needs a `var` receiver.
    let isMutating: Bool
    let body: (inout Value, Arguments) throws -> Value

    init(
        signature: Signature, isMutating: Bool,
        body: @escaping (inout Value, Arguments) throws -> Value
    ) {
        self.signature = signature
        self.isMutating = isMutating
        self.body = body
    }
}

/// A registered property.
final class Property {
    let name: String
    let type: String?
    let doc: String
    let get: (Value, Session) throws -> Value
    let set: ((inout Value, Value, Session) throws -> Void)?

    init(
        name: String, type: String?, doc: String, get: @escaping (Value, Session) throws -> Value,
        set: ((inout Value, Value, Session) throws -> Void)?
    ) {
        self.name = name
        self.type = type
        self.doc = doc
        self.get = get
        self.set = set
    }
}

/// A registered static property, also reachable as an implicit member (`.relu`).
final class StaticProperty {
    let name: String
    let type: String?
    let doc: String
    let value: () throws -> Value

    init(name: String, type: String?, doc: String, value: @escaping () throws -> Value) {
        self.name = name
        self.type = type
        self.doc = doc
        self.value = value
    }
}

/// A registered subscript.
final class Subscript {
    let signature: Signature
    let get: (Value, Arguments) throws -> Value
    let set: ((inout Value, Arguments, Value) throws -> Void)?

    init(
        signature: Signature, get: @escaping (Value, Arguments) throws -> Value,
        set: ((inout Value, Arguments, Value) throws -> Void)?
    ) {
        self.signature = signature
        self.get = get
        self.set = set
    }
}

/// A library protocol that user structs may conform to by name (`struct Residual: Layer`).
public final class ProtocolInfo {
    /// The protocol's name.
    public let name: String
    /// Requirements as selectors, e.g. `callAsFunction(_:)`.
    public let requirements: [String]
    /// The documentation.
    public let doc: String

    init(name: String, requirements: [String], doc: String) {
        self.name = name
        self.requirements = requirements
        self.doc = doc
    }
}

// MARK: - Wrapping

extension TypeInfo {
    /// `payload` as an instance of this type: the one place a host value is made
    /// (`Registry.value(wrapping:)`, `Session.wrap` and `Arguments.wrap` find the type, then
    /// come here).
    func wrap(_ payload: Any) -> Value {
        .host(HostObject(type: self, payload: payload))
    }
}
