/// Member access, method calls and subscripts on values of every kind.
extension Session {
    /// Whether a place may be changed, and if not, why (for the error message).
    enum Mutability {
        case mutable
        case immutable(String)
    }

    // MARK: - Reading members

    /// Reads `value.name`.
    func member(_ name: String, of value: Value, at site: SourceLocation?) throws(Failure) -> Value
    {
        switch value {
        case .structure(let instance):
            if let index = instance.type.propertyIndex[name] { return instance[index] }
            if let computed = computedProperty(name, of: instance.type.name, instance.type) {
                var none = CallArguments([], site: site)
                return try callUser(computed.getter, &none, selfValue: value).result
            }
            if userMethods(name, of: instance.type.name, instance.type) != nil {
                return .function(
                    BoundMethod(
                        receiver: value, memberName: name,
                        displayName: "\(instance.type.name).\(name)"))
            }
        case .tuple(let tuple):
            if let position = Int(name), position >= 0, position < tuple.elements.count {
                return tuple.elements[position]
            }
            if let element = tuple.element(labelled: name) { return element }
        case .type(let type):
            return try staticMember(name, of: type, at: site)
        case .nilValue:
            throw Failure(
                .unexpectedNil(
                    "cannot read '\(name)' of nil; unwrap the optional first ('if let', '?.' or "
                        + "'??')"), at: site)
        default:
            break
        }
        let info = typeInfo(of: value)
        if let property = info.properties[name] {
            do {
                return try property.get(value, self)
            } catch {
                throw failure(from: error, at: site)
            }
        }
        if let computed = computedProperty(name, of: extensionKey(value), nil) {
            var none = CallArguments([], site: site)
            return try callUser(computed.getter, &none, selfValue: value).result
        }
        if info.methods[name] != nil || userMethods(name, of: extensionKey(value), nil) != nil {
            return .function(
                BoundMethod(
                    receiver: value, memberName: name, displayName: "\(value.typeName).\(name)"))
        }
        if let sequence = try sequenceReceiver(value, for: name, at: site),
            let property = builtins.array.properties[name]
        {
            do {
                return try property.get(sequence, self)
            } catch {
                throw failure(from: error, at: site)
            }
        }
        throw noMember(name, of: value, at: site)
    }

    /// For a member that only arrays have, used on another sequence (`"abc".first`,
    /// `(0..<5).map { … }`, `data.batches(of: 32).count`): the value to give Array's member.
    /// Strings, ranges and dictionaries are passed as they are (Array's members read any of
    /// them); library sequences are turned into arrays.
    func sequenceReceiver(_ value: Value, for name: String, at site: SourceLocation?)
        throws(Failure) -> Value?
    {
        let array = builtins.array
        let readsOnly =
            array.properties[name] != nil
            || (array.methods[name]?.contains { !$0.isMutating } ?? false)
        guard readsOnly else { return nil }
        switch value {
        case .string, .range, .dictionary: return value
        case .host(let object) where object.type.iterate != nil:
            return .array(try elements(of: value))
        default: return nil
        }
    }

    /// The name extensions of a value's type are filed under: a struct's name, or the
    /// registered type's (`Array` for `[Int]`).
    func extensionKey(_ value: Value) -> String {
        if case .structure(let instance) = value { return instance.type.name }
        return typeInfo(of: value).name
    }

    /// The error for a missing member, with a suggestion.
    func noMember(_ name: String, of value: Value, at site: SourceLocation?) -> Failure {
        Failure(
            .noMember(
                type: value.typeName, member: name,
                suggestion: Suggestion.closest(to: name, in: memberNames(of: value))),
            at: site)
    }

    /// Every member name of a value, for suggestions and completion.
    func memberNames(of value: Value) -> [String] {
        var names: [String] = []
        switch value {
        case .structure(let instance):
            names = instance.type.memberNames
        case .tuple(let tuple):
            names = tuple.elements.indices.map(String.init) + (tuple.labels ?? []).compactMap { $0 }
        case .type(.registered(let info)):
            return info.staticMemberNames
        case .type(.structure(let type)):
            return Array(type.staticValues.keys)
        default:
            names = typeInfo(of: value).memberNames
        }
        names += extensionMethods[extensionKey(value)].map { Array($0.keys) } ?? []
        names += extensionProperties[extensionKey(value)].map { Array($0.keys) } ?? []
        return names
    }

    private func staticMember(_ name: String, of type: TypeValue, at site: SourceLocation?)
        throws(Failure) -> Value
    {
        switch type {
        case .registered(let info):
            if let property = info.staticProperties[name] {
                do {
                    return try property.value()
                } catch {
                    throw failure(from: error, at: site)
                }
            }
            if let methods = info.staticMethods[name], let first = methods.first {
                return .function(methods.count == 1 ? first : OverloadSet(name: name, methods))
            }
            if name == "self" { return .type(type) }
            throw Failure(
                .noMember(
                    type: "type '\(info.name)'", member: name,
                    suggestion: Suggestion.closest(to: name, in: info.staticMemberNames)),
                at: site)
        case .structure(let structType):
            if let value = structType.staticValues[name] { return value }
            if name == "self" { return .type(type) }
            throw Failure(
                .noMember(
                    type: "type '\(structType.name)'", member: name,
                    suggestion: Suggestion.closest(to: name, in: structType.staticValues.keys)),
                at: site)
        case .protocolType(let info):
            throw Failure(
                .noMember(type: "protocol '\(info.name)'", member: name, suggestion: nil), at: site)
        }
    }

    private func computedProperty(_ name: String, of typeName: String, _ structType: StructType?)
        -> ComputedProperty?
    {
        structType?.computedProperties[name] ?? extensionProperties[typeName]?[name]
    }

    private func userMethods(_ name: String, of typeName: String, _ structType: StructType?)
        -> [CellFunction]?
    {
        structType?.methods[name] ?? extensionMethods[typeName]?[name]
    }

    // MARK: - Calling methods

    /// Calls `receiver.name(arguments)`. A mutating method changes `receiver` in place, which
    /// needs `mutability` to be `.mutable`.
    func callMethod(
        on receiver: inout Value, named name: String, arguments: inout CallArguments,
        mutability: Mutability
    ) throws(Failure) -> Value {
        let site = arguments.site
        if case .structure(let instance) = receiver,
            let methods = userMethods(name, of: instance.type.name, instance.type)
        {
            return try callUserMethod(methods, on: &receiver, name, &arguments, mutability)
        }
        if case .type(let type) = receiver {
            let function = try staticMember(name, of: type, at: site)
            return try invoke(function, &arguments)
        }
        if case .nilValue = receiver {
            throw Failure(
                .unexpectedNil(
                    "cannot call '\(name)' on nil; unwrap the optional first ('if let', '?.' or "
                        + "'??')"), at: site)
        }
        let info = typeInfo(of: receiver)
        let methods = name == "callAsFunction" ? info.callAsFunction : info.methods[name]
        if let methods, !methods.isEmpty {
            return try callRegistered(methods, on: &receiver, name, &arguments, mutability)
        }
        if let methods = userMethods(name, of: extensionKey(receiver), nil) {
            return try callUserMethod(methods, on: &receiver, name, &arguments, mutability)
        }
        if var sequence = try sequenceReceiver(receiver, for: name, at: site),
            let methods = builtins.array.methods[name]
        {
            return try callRegistered(
                methods, on: &sequence, name, &arguments,
                .immutable("a sequence's elements are read only here"))
        }
        // A stored or computed property holding a function: `self.callback(x)`.
        let property = try member(name, of: receiver, at: site)
        return try invoke(property, &arguments)
    }

    /// Calls one of a registered type's methods (choosing among overloads by labels).
    private func callRegistered(
        _ methods: [Method], on receiver: inout Value, _ name: String,
        _ arguments: inout CallArguments, _ mutability: Mutability
    ) throws(Failure) -> Value {
        let site = arguments.site
        let chosen = try chooseOverload(methods.map(\.signature), for: arguments)
        let method = methods[chosen]
        let bound = try bind(&arguments, to: method.signature)
        let packed = Arguments(
            values: bound, session: self, signature: method.signature, location: site)
        if method.isMutating {
            if case .immutable(let reason) = mutability {
                throw Failure(
                    .immutable("cannot use mutating method '\(name)': \(reason)"), at: site)
            }
            return try invokeBody(method, &receiver, packed, site: site)
        }
        var copy = receiver
        return try invokeBody(method, &copy, packed, site: site)
    }

    private func callUserMethod(
        _ methods: [CellFunction], on receiver: inout Value, _ name: String,
        _ arguments: inout CallArguments, _ mutability: Mutability
    ) throws(Failure) -> Value {
        let chosen =
            methods.count == 1
            ? 0 : try chooseOverload(methods.map(\.code.signature), for: arguments)
        let method = methods[chosen]
        if method.code.isMutating, case .immutable(let reason) = mutability {
            throw Failure(
                .immutable("cannot use mutating method '\(name)': \(reason)"), at: arguments.site)
        }
        return try callUser(method, &arguments, receiver: &receiver)
    }

    // MARK: - Changing members

    /// Changes `value.name` in place through `body`.
    func modifyMember(
        _ name: String, of value: inout Value, at site: SourceLocation?,
        _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        switch value {
        case .structure(let shared):
            if let index = shared.type.propertyIndex[name] {
                if shared.type.storedProperties[index].isLet {
                    throw Failure(
                        .immutable(
                            "cannot assign to property '\(name)': it is a 'let' constant of "
                                + shared.type.name), at: site)
                }
                value = .void
                var instance = consume shared
                if !isKnownUniquelyReferenced(&instance) { instance = instance.copy() }
                var field = instance.take(index)
                defer {
                    instance[index] = field
                    value = .structure(instance)
                }
                let spec = instance.type.storedProperties[index].spec
                // Kept to be restored if the check of the changed field fails.
                let original = spec != nil ? field : nil
                try body(&field)
                if let spec {
                    do throws(Failure) {
                        field = try conform(field, to: spec, at: site) { newValue in
                            "cannot assign a value of type \(newValue.typeName) to property "
                                + "'\(name)' of type \(spec.description)"
                        }
                    } catch {
                        if let original { field = original }
                        throw error
                    }
                }
                return
            }
            if let computed = computedProperty(name, of: shared.type.name, shared.type) {
                try modifyComputed(computed, name, of: &value, at: site, body)
                return
            }
        case .type(.structure(let type)) where type.staticValues[name] != nil:
            guard type.staticVariables.contains(name), var current = type.staticValues[name] else {
                throw Failure(
                    .immutable(
                        "cannot assign to static property '\(name)': it is a 'let' constant of "
                            + type.name), at: site)
            }
            // Moved out while it changes, so a static array appends without a copy.
            type.staticValues[name] = .void
            defer { type.staticValues[name] = current }
            try body(&current)
            return
        case .tuple(var tuple):
            let position = Int(name) ?? tuple.labels?.firstIndex(of: name)
            if let position, position >= 0, position < tuple.elements.count {
                value = .void
                defer { value = .tuple(tuple) }
                try body(&tuple.elements[position])
                return
            }
        default:
            let info = typeInfo(of: value)
            if let property = info.properties[name] {
                guard let set = property.set else {
                    throw Failure(
                        .immutable("cannot assign to property '\(name)': it is read-only"), at: site
                    )
                }
                var current: Value
                do {
                    current = try property.get(value, self)
                } catch {
                    throw failure(from: error, at: site)
                }
                try body(&current)
                current = try resolvingImplicitMember(current, for: property, at: site)
                do {
                    try set(&value, current, self)
                } catch {
                    throw failure(from: error, at: site)
                }
                return
            }
            if let computed = computedProperty(name, of: extensionKey(value), nil) {
                try modifyComputed(computed, name, of: &value, at: site, body)
                return
            }
        }
        throw noMember(name, of: value, at: site)
    }

    /// `.maxNorm(3)` assigned to a library property means a member of the property's declared
    /// type; when that type is unknown, the assignment fails instead of storing nothing.
    private func resolvingImplicitMember(
        _ value: Value, for property: Property, at site: SourceLocation?
    ) throws(Failure) -> Value {
        guard case .function(let implicit as ImplicitMember) = value else { return value }
        guard
            let typeName = property.type.flatMap({
                (try? TypeSpec.parse($0).get())?.implicitMemberTypeName
            })
        else {
            throw Failure(
                .typeMismatch(
                    "cannot infer the type of '.\(implicit.memberName)' for property "
                        + "'\(property.name)'; write it with its type, as in "
                        + "'TypeName.\(implicit.memberName)'"), at: implicit.site ?? site)
        }
        return try resolveImplicit(implicit, in: typeName, site: site)
    }

    private func modifyComputed(
        _ computed: ComputedProperty, _ name: String, of value: inout Value,
        at site: SourceLocation?, _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        guard let setter = computed.setter else {
            throw Failure(
                .immutable(
                    "cannot assign to property '\(name)': it is a get-only computed property"),
                at: site)
        }
        var none = CallArguments([], site: site)
        var current = try callUser(computed.getter, &none, selfValue: value).result
        try body(&current)
        var newValue = CallArguments([current], site: site)
        let outcome = try callUser(setter, &newValue, selfValue: value)
        if let newSelf = outcome.selfValue { value = newSelf }
    }
}
