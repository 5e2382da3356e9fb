import KernelInterface

/// Declares the members of a registered type with typed closures: the receiver arrives as the
/// Swift type `Object` (a class for reference types, a struct for value types, or `Value` for
/// the language's own types).
///
/// ```swift
/// registry.type(Counter.self, name: "Counter", kind: .reference, doc: "Counts.") { type in
///     type.initializer(parameters: [], doc: "A counter at zero.") { _ in Counter() }
///     type.method("increment", doc: "Adds one.") { counter, _ in counter.count += 1; return .void }
///     type.property("count", type: "Int", doc: "The count.") { .int($0.count) }
/// }
/// ```
public final class TypeBuilder<Object> {
    /// The type being declared.
    public let info: TypeInfo
    let extract: (Value) -> Object?
    /// Runs a change on the receiver's object in place: the object is moved out of the value
    /// (so its storage is not shared and copy-on-write does not copy) and put back after.
    let mutate: (inout Value, (inout Object) throws -> Value) throws -> Value

    init(
        info: TypeInfo, extract: @escaping (Value) -> Object?,
        mutate: @escaping (inout Value, (inout Object) throws -> Value) throws -> Value
    ) {
        self.info = info
        self.extract = extract
        self.mutate = mutate
    }

    private func object(_ value: Value) throws -> Object {
        guard let object = extract(value) else {
            throw CellError.typeMismatch("expected a \(info.name), not \(value.typeName)")
        }
        return object
    }

    /// Declares an initializer: `TypeName(arguments)`. Several may be declared; a call uses
    /// the first whose labels match.
    public func initializer(
        parameters: [any ParameterDeclaration], doc: String = "",
        _ body: @escaping (Arguments) throws -> Value
    ) {
        let signature = Signature(
            name: info.name, parameters: parameters, returns: info.name,
            doc: doc.isEmpty ? info.doc : doc)
        info.initializers.append(HostFunction(signature: signature, body: body))
    }

    /// Declares a method that reads its receiver.
    public func method(
        _ name: String, parameters: [any ParameterDeclaration] = [], returns: String? = nil,
        doc: String,
        _ body: @escaping (Object, Arguments) throws -> Value
    ) {
        let signature = Signature(name: name, parameters: parameters, returns: returns, doc: doc)
        let method = Method(signature: signature, isMutating: false) { receiver, arguments in
            try body(try self.object(receiver), arguments)
        }
        info.methods[name, default: []].append(method)
    }

    /// Declares a method that changes its receiver (for value types: `append`); calling it
    /// needs a `var`.
    public func mutatingMethod(
        _ name: String, parameters: [any ParameterDeclaration] = [], returns: String? = nil,
        doc: String,
        _ body: @escaping (inout Object, Arguments) throws -> Value
    ) {
        let signature = Signature(name: name, parameters: parameters, returns: returns, doc: doc)
        let method = Method(signature: signature, isMutating: true) { receiver, arguments in
            try self.mutate(&receiver) { object in try body(&object, arguments) }
        }
        info.methods[name, default: []].append(method)
    }

    /// Declares a read-only property.
    public func property(
        _ name: String, type: String? = nil, doc: String,
        _ get: @escaping (Object) throws -> Value
    ) {
        info.properties[name] = Property(
            name: name, type: type, doc: doc, get: { value, _ in try get(try self.object(value)) },
            set: nil)
    }

    /// Declares a property that can also be assigned (`layer.isTrainable = false`).
    public func property(
        _ name: String, type: String? = nil, doc: String,
        get: @escaping (Object) throws -> Value,
        set: @escaping (inout Object, Value) throws -> Void
    ) {
        info.properties[name] = Property(
            name: name, type: type, doc: doc,
            get: { value, _ in try get(try self.object(value)) },
            set: { receiver, newValue, _ in
                _ = try self.mutate(&receiver) { object in
                    try set(&object, newValue)
                    return .void
                }
            })
    }

    /// Declares a subscript: `t[1..., 0]`. The index arguments arrive bound to `parameters`.
    public func `subscript`(
        parameters: [any ParameterDeclaration], returns: String? = nil, doc: String = "",
        get: @escaping (Object, Arguments) throws -> Value,
        set: ((inout Object, Arguments, Value) throws -> Void)? = nil
    ) {
        let signature = Signature(
            name: "subscript", parameters: parameters, returns: returns, doc: doc)
        var setter: ((inout Value, Arguments, Value) throws -> Void)?
        if let set {
            setter = { receiver, arguments, newValue in
                _ = try self.mutate(&receiver) { object in
                    try set(&object, arguments, newValue)
                    return .void
                }
            }
        }
        info.subscripts.append(
            Subscript(
                signature: signature,
                get: { receiver, arguments in try get(try self.object(receiver), arguments) },
                set: setter))
    }

    /// Makes instances callable: `layer(x)`.
    public func callAsFunction(
        parameters: [any ParameterDeclaration], returns: String? = nil, doc: String = "",
        _ body: @escaping (Object, Arguments) throws -> Value
    ) {
        let signature = Signature(
            name: "callAsFunction", parameters: parameters, returns: returns, doc: doc)
        info.callAsFunction.append(
            Method(signature: signature, isMutating: false) { receiver, arguments in
                try body(try self.object(receiver), arguments)
            })
    }

    /// Declares a static property, also usable as an implicit member (`.relu`) wherever this
    /// type is expected.
    public func staticProperty(
        _ name: String, type: String? = nil, doc: String, _ value: @escaping () throws -> Value
    ) {
        info.staticProperties[name] = StaticProperty(
            name: name, type: type ?? info.name, doc: doc, value: value)
    }

    /// Declares a static method, also usable as an implicit member call
    /// (`.gradual(epochs: 3)`) wherever this type is expected.
    public func staticMethod(
        _ name: String, parameters: [any ParameterDeclaration] = [], returns: String? = nil,
        doc: String,
        _ body: @escaping (Arguments) throws -> Value
    ) {
        let signature = Signature(
            name: name, parameters: parameters, returns: returns ?? info.name, doc: doc)
        info.staticMethods[name, default: []].append(HostFunction(signature: signature, body: body))
    }

    /// Gives instances their own display bundle (text/plain, text/html, image/svg+xml, …) for
    /// `display(x)` and a cell's result.
    public func display(_ render: @escaping (Object) -> MimeBundle) {
        info.display = { value in self.extract(value).map(render) }
    }

    /// Gives instances their text form (for `print` and `text/plain`).
    public func description(_ describe: @escaping (Object) -> String) {
        info.describe = { value in self.extract(value).map(describe) ?? self.info.name }
    }

    /// Makes instances usable in `for … in`: `makeIterator` returns a function that yields the
    /// next element, or nil at the end.
    public func iterate(_ makeIterator: @escaping (Object, Session) throws -> () throws -> Value?) {
        info.iterate = { value, session in try makeIterator(try self.object(value), session) }
    }

    /// A one-line summary for `%whos` and inspection: shape, size, state.
    public func summary(_ summarize: @escaping (Object) -> String) {
        info.summarize = { value in self.extract(value).map(summarize) }
    }

    /// The memory an instance holds, for `%whos`.
    public func byteCount(_ count: @escaping (Object) -> Int) {
        info.countBytes = { value in self.extract(value).map(count) ?? 0 }
    }
}

// MARK: - Storage strategies

extension TypeBuilder where Object == Value {
    /// A builder for one of the language's own types, whose receivers are plain values.
    static func builtin(_ info: TypeInfo) -> TypeBuilder<Value> {
        TypeBuilder<Value>(
            info: info, extract: { $0 },
            mutate: { receiver, body in
                var object = receiver
                receiver = .void
                defer { receiver = object }
                return try body(&object)
            })
    }
}

extension TypeBuilder {
    /// A builder for a library type whose instances are `HostObject` boxes around an `Object`.
    static func host(_ info: TypeInfo) -> TypeBuilder<Object> {
        TypeBuilder<Object>(
            info: info, extract: { $0.hostPayload(as: Object.self) },
            mutate: { receiver, body in
                guard case .host(let shared) = receiver, var object = shared.payload as? Object
                else {
                    throw CellError.typeMismatch(
                        "expected a \(info.name), not \(receiver.typeName)")
                }
                receiver = .void
                var box = consume shared
                if isKnownUniquelyReferenced(&box) {
                    box.payload = ()
                } else {
                    box = HostObject(type: box.type, payload: ())
                }
                defer {
                    box.payload = object
                    receiver = .host(box)
                }
                return try body(&object)
            })
    }
}
