/// Types at run time: checking values against declared types, implicit members, constructing
/// instances.
extension Session {
    /// Checks `value` against `spec`, converting where Swift would (an Int where a Double is
    /// expected, an implicit member where its type is expected).
    ///
    /// - Parameters:
    ///   - registryParameter: the spec comes from a registry signature: element types of
    ///     collections are not checked (the binding reads them). An unknown type name is an
    ///     error either way (`Registry.typeProblems` finds them at registration).
    ///   - message: the error text for a mismatch.
    func conform(
        _ value: Value, to spec: TypeSpec, at site: SourceLocation?,
        registryParameter: Bool = false,
        message: (Value) -> String
    ) throws(Failure) -> Value {
        switch spec {
        case .any:
            return value
        case .optional(let wrapped):
            return value.isNil
                ? value
                : try conform(
                    value, to: wrapped, at: site, registryParameter: registryParameter,
                    message: message)
        case .named(let name):
            if case .function(let implicit as ImplicitMember) = value {
                let resolved = try resolveImplicit(implicit, in: name, site: site)
                return try conform(
                    resolved, to: spec, at: site, registryParameter: registryParameter,
                    message: message)
            }
            if case .int(let integer) = value, name == "Double" { return .double(Double(integer)) }
            if matchesNamed(value, name) { return value }
            if let member = staticMemberNamedLike(value, in: name) { return member }
            if !isKnownTypeName(name) {
                guard registryParameter else {
                    throw Failure(.undefinedName(name, suggestion: nil), at: site)
                }
                throw Failure(
                    .typeMismatch(
                        message(value) + "; the library declares it as '\(name)', "
                            + "which is not a type"),
                    at: site)
            }
        case .array(let element):
            if case .array(let elements) = value {
                if registryParameter || element == .any { return value }
                var converted: [Value] = []
                converted.reserveCapacity(elements.count)
                for element2 in elements {
                    converted.append(try conform(element2, to: element, at: site, message: message))
                }
                return .array(converted)
            }
        case .dictionary(_, let valueSpec):
            if case .dictionary(var dictionary) = value {
                if registryParameter || valueSpec == .any { return value }
                for key in dictionary.keys {
                    if let entry = dictionary[key] {
                        dictionary[key] = try conform(
                            entry, to: valueSpec, at: site, message: message)
                    }
                }
                return .dictionary(dictionary)
            }
        case .tuple(let elements, let labels):
            // An unlabelled tuple takes the type's labels (`return (0.5, 0.9)` from a function
            // returning `(loss: Double, accuracy: Double)`); other labels do not convert.
            if case .tuple(let tuple) = value, tuple.elements.count == elements.count,
                labels == nil || tuple.labels == nil || tuple.labels == labels
            {
                var converted: [Value] = []
                for (element, elementSpec) in zip(tuple.elements, elements) {
                    converted.append(
                        try conform(element, to: elementSpec, at: site, message: message))
                }
                return .tuple(TupleValue(converted, labels: labels ?? tuple.labels))
            }
        case .function:
            if isCallable(value) { return value }
        }
        throw Failure(.typeMismatch(message(value)), at: site)
    }

    /// Whether `value` plausibly is a `spec` (for choosing overloads; no conversion).
    func matches(_ value: Value, _ spec: TypeSpec) -> Bool {
        switch spec {
        case .any: return true
        case .optional(let wrapped): return value.isNil || matches(value, wrapped)
        case .named(let name):
            if case .function(is ImplicitMember) = value { return true }
            if case .int = value, name == "Double" { return true }
            return matchesNamed(value, name) || staticMemberNamedLike(value, in: name) != nil
        case .array:
            if case .array = value { return true }
            return false
        case .dictionary:
            if case .dictionary = value { return true }
            return false
        case .tuple(let elements, _):
            if case .tuple(let tuple) = value { return tuple.elements.count == elements.count }
            return false
        case .function:
            return isCallable(value)
        }
    }

    /// A function value whose name is a static member of the expected type converts to that
    /// member: `activation: relu` means `activation: Activation.relu`.
    private func staticMemberNamedLike(_ value: Value, in typeName: String) -> Value? {
        guard case .function(let function) = value, !(function is ImplicitMember),
            let property = registry.types[typeName]?.staticProperties[function.name]
        else { return nil }
        return try? property.value()
    }

    private func matchesNamed(_ value: Value, _ name: String) -> Bool {
        switch (value, name) {
        case (.int, "Int"), (.double, "Double"), (.bool, "Bool"), (.string, "String"),
            (.void, "Void"), (.array, "Array"), (.dictionary, "Dictionary"), (.range, "Range"),
            (.range, "ClosedRange"), (.tuple, "Tuple"):
            return true
        case (.structure(let instance), _):
            return instance.type.name == name || instance.type.conformances.contains(name)
        case (.host(let object), _):
            return object.type.name == name || object.type.conformances.contains(name)
        case (.function, _):
            return name == "Function"
        case (.type, _):
            return name == "Type"
        default:
            return false
        }
    }

    /// Whether some type, struct or protocol is called `name`.
    func isKnownTypeName(_ name: String) -> Bool {
        if registry.isKnownTypeName(name) { return true }
        if case .type? = globals.value(of: name) { return true }
        return false
    }

    /// Whether `value` can be called.
    package func isCallable(_ value: Value) -> Bool {
        switch value {
        case .function, .type: return true
        case .structure(let instance): return instance.type.methods["callAsFunction"] != nil
        case .host(let object): return !object.type.callAsFunction.isEmpty
        default: return false
        }
    }

    /// The registered description of a value's type (builtins and library types).
    func typeInfo(of value: Value) -> TypeInfo {
        switch value {
        case .void: return builtins.void
        case .nilValue: return builtins.nilType
        case .bool: return builtins.bool
        case .int: return builtins.int
        case .double: return builtins.double
        case .string: return builtins.string
        case .array: return builtins.array
        case .dictionary: return builtins.dictionary
        case .tuple: return builtins.tuple
        case .range: return builtins.range
        case .function: return builtins.function
        case .type: return builtins.type
        case .structure: return builtins.void
        case .host(let object): return object.type
        }
    }

    // MARK: - Implicit members

    /// Resolves `.name` or `.name(arguments)` against the type called `typeName`.
    package func resolveImplicit(
        _ member: ImplicitMember, in typeName: String, site: SourceLocation?
    )
        throws(Failure) -> Value
    {
        let location = member.site ?? site
        var found: Value?
        var candidates: [String] = []
        if let info = registry.types[typeName] {
            candidates = info.staticMemberNames
            if let property = info.staticProperties[member.memberName] {
                do {
                    found = try property.value()
                } catch {
                    throw failure(from: error, at: location)
                }
            } else if let methods = info.staticMethods[member.memberName], let first = methods.first
            {
                found = .function(
                    methods.count == 1 ? first : OverloadSet(name: first.name, methods))
            }
        } else if case .type(.structure(let structType))? = globals.value(of: typeName) {
            candidates = Array(structType.staticValues.keys)
            found = structType.staticValues[member.memberName]
        }
        guard let value = found else {
            throw Failure(
                .noMember(
                    type: "type '\(typeName)'", member: member.memberName,
                    suggestion: Suggestion.closest(to: member.memberName, in: candidates)),
                at: location)
        }
        guard var arguments = member.arguments else {
            if case .function(let function as HostFunction) = value,
                function.signature.parameters.allSatisfy({ $0.defaultValue != nil })
            {
                var none = CallArguments([], site: location)
                return try function.call(&none, session: self)
            }
            return value
        }
        return try invoke(value, &arguments)
    }

    // MARK: - Construction

    /// Calls a type: `Int("3")`, `Dense(784, 128)`, `Point(x: 1, y: 2)`.
    func construct(_ type: TypeValue, _ arguments: inout CallArguments) throws(Failure) -> Value {
        switch type {
        case .registered(let info):
            guard !info.initializers.isEmpty else {
                throw Failure(
                    .typeMismatch("\(info.name) cannot be created by calling it"),
                    at: arguments.site)
            }
            let chosen = try chooseOverload(info.initializers.map(\.signature), for: arguments)
            return try info.initializers[chosen].call(&arguments, session: self)
        case .structure(let structType):
            return try constructStruct(structType, &arguments)
        case .protocolType(let info):
            throw Failure(
                .typeMismatch("'\(info.name)' is a protocol; create a type that conforms to it"),
                at: arguments.site)
        }
    }

    private func constructStruct(_ type: StructType, _ arguments: inout CallArguments)
        throws(Failure) -> Value
    {
        if !type.initializers.isEmpty {
            let signatures = type.initializers.map(\.code.signature)
            let chosen = try chooseOverload(signatures, for: arguments)
            var defaults: [Value] = []
            for property in type.storedProperties {
                defaults.append(try defaultValue(of: property, site: arguments.site) ?? .nilValue)
            }
            var receiver = Value.structure(StructInstance(type: type, fields: defaults))
            _ = try callUser(type.initializers[chosen], &arguments, receiver: &receiver)
            return receiver
        }
        let signature = type.memberwiseSignature
        let parameters = signature.parameters
        let assignment = ArgumentBinder.assign(
            labels: arguments.labels, trailingClosureCount: arguments.trailingClosureCount,
            to: parameters,
            hasDefault: { position in
                guard let index = type.propertyIndex[parameters[position].name] else {
                    return false
                }
                return type.storedProperties[index].defaultValue != nil
            }, callee: type.name)
        let slots: [ArgumentBinder.Slot]
        switch assignment {
        case .success(let assigned): slots = assigned
        case .failure(let error): throw Failure(error, at: arguments.site)
        }
        var given: [String: Value] = [:]
        for (position, slot) in slots.enumerated() {
            if case .argument(let index) = slot {
                given[parameters[position].name] = arguments.values[index]
            }
        }
        var fields: [Value] = []
        fields.reserveCapacity(type.storedProperties.count)
        for property in type.storedProperties {
            if let value = given[property.name] {
                if let spec = property.spec {
                    fields.append(
                        try conform(value, to: spec, at: arguments.site) { value in
                            "cannot convert value of type \(value.typeName) to expected argument "
                                + "type \(spec.description) (property '\(property.name)' of "
                                + "\(type.name))"
                        })
                } else {
                    fields.append(value)
                }
            } else {
                fields.append(try defaultValue(of: property, site: arguments.site) ?? .nilValue)
            }
        }
        return .structure(StructInstance(type: type, fields: fields))
    }

    /// Evaluates a stored property's default, if it has one.
    func defaultValue(of property: StoredProperty, site: SourceLocation?) throws(Failure) -> Value?
    {
        guard let makeDefault = property.defaultValue else { return nil }
        var none = CallArguments([], site: site)
        return try callUser(makeDefault, &none, selfValue: nil).result
    }
}
