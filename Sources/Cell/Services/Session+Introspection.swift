/// What completion and inspection know about values without running user code: receiver
/// chains of names and properties, member lists with signatures and docs, callee signatures.
extension Session {
    /// A member as completion and inspection show it.
    struct MemberEntry {
        let name: String
        let kind: String
        let signature: String?
        let doc: String
    }

    /// The value of a chain of names (`model.layers`), reading only variables, stored
    /// properties, registered properties and static members. Nil when the chain needs
    /// anything else.
    func resolveChain(_ chain: [String]) -> Value? {
        guard let first = chain.first, var value = globals.value(of: first) else { return nil }
        for name in chain.dropFirst() {
            guard let next = safeMember(name, of: value) else { return nil }
            value = next
        }
        return value
    }

    private func safeMember(_ name: String, of value: Value) -> Value? {
        switch value {
        case .structure, .tuple:
            return value.storedMember(name)
        case .type(.registered(let info)):
            return try? info.staticProperties[name]?.value()
        case .type(.structure(let type)):
            return type.staticValues[name]
        default:
            return try? typeInfo(of: value).properties[name]?.get(value, self)
        }
    }

    /// The members of a value (or, for a type, its static members), for completion.
    func memberEntries(of value: Value) -> [MemberEntry] {
        var entries: [MemberEntry] = []
        switch value {
        case .type(.registered(let info)):
            for (name, property) in info.staticProperties {
                entries.append(
                    MemberEntry(
                        name: name, kind: "property", signature: property.type, doc: property.doc))
            }
            for (name, methods) in info.staticMethods {
                for method in methods {
                    entries.append(
                        MemberEntry(
                            name: name, kind: "function", signature: method.signature.text,
                            doc: method.signature.doc))
                }
            }
            return entries
        case .type(.structure(let type)):
            return type.staticValues.keys.map {
                MemberEntry(name: $0, kind: "property", signature: nil, doc: "")
            }
        case .structure(let instance):
            entries += structEntries(instance.type)
        case .tuple(let tuple):
            for index in tuple.elements.indices {
                let label = tuple.labels?[index]
                entries.append(
                    MemberEntry(
                        name: label ?? String(index), kind: "property",
                        signature: tuple.elements[index].typeName, doc: ""))
            }
            return entries
        default:
            let info = typeInfo(of: value)
            entries += registeredEntries(info)
        }
        for (name, methods) in extensionMethods[extensionKey(value)] ?? [:] {
            for method in methods {
                entries.append(
                    MemberEntry(
                        name: name, kind: "function", signature: method.code.signatureText,
                        doc: method.code.documentation ?? ""))
            }
        }
        for name in (extensionProperties[extensionKey(value)] ?? [:]).keys {
            entries.append(MemberEntry(name: name, kind: "property", signature: nil, doc: ""))
        }
        return entries
    }

    /// The members a registered type declares.
    func registeredEntries(_ info: TypeInfo) -> [MemberEntry] {
        var entries: [MemberEntry] = []
        for (name, property) in info.properties {
            entries.append(
                MemberEntry(
                    name: name, kind: "property", signature: property.type, doc: property.doc))
        }
        for (name, methods) in info.methods {
            for method in methods {
                entries.append(
                    MemberEntry(
                        name: name, kind: "function", signature: method.signature.text,
                        doc: method.signature.doc))
            }
        }
        return entries
    }

    private func structEntries(_ type: StructType) -> [MemberEntry] {
        var entries: [MemberEntry] = []
        for property in type.storedProperties {
            entries.append(
                MemberEntry(
                    name: property.name, kind: "property", signature: property.spec?.description,
                    doc: ""))
        }
        for name in type.computedProperties.keys {
            entries.append(MemberEntry(name: name, kind: "property", signature: nil, doc: ""))
        }
        for (name, methods) in type.methods {
            for method in methods {
                entries.append(
                    MemberEntry(
                        name: name, kind: "function", signature: method.code.signatureText,
                        doc: method.code.documentation ?? ""))
            }
        }
        return entries
    }

    /// The signatures a callee chain may mean: a function's, a type's initializers', a method's.
    func signatures(ofCallee chain: [String]) -> [Signature] {
        if chain.count == 1 {
            guard let value = globals.value(of: chain[0]) else { return [] }
            return signatures(of: value)
        }
        guard let receiver = resolveChain(Array(chain.dropLast())), let name = chain.last else {
            return []
        }
        switch receiver {
        case .type(.registered(let info)):
            return (info.staticMethods[name] ?? []).map(\.signature)
        case .structure(let instance):
            return (instance.type.methods[name] ?? []).map(\.code.signature)
        default:
            let info = typeInfo(of: receiver)
            var result = (info.methods[name] ?? []).map(\.signature)
            result += (extensionMethods[extensionKey(receiver)]?[name] ?? []).map(\.code.signature)
            return result
        }
    }

    /// The signatures of a callable value.
    func signatures(of value: Value) -> [Signature] {
        switch value {
        case .function(let overloads as OverloadSet): return overloads.overloads.map(\.signature)
        case .function(let function as HostFunction): return [function.signature]
        case .function(let function as CellFunction): return [function.code.signature]
        case .type(.registered(let info)): return info.initializers.map(\.signature)
        case .type(.structure(let type)):
            return type.initializers.isEmpty
                ? [type.memberwiseSignature] : type.initializers.map(\.code.signature)
        default: return []
        }
    }
}

extension Value {
    /// A struct's stored property or a tuple's element (by position or label), read without
    /// running cell code; nil for anything else (a computed property, a library type's member).
    func storedMember(_ name: String) -> Value? {
        switch self {
        case .structure(let instance):
            guard let index = instance.type.propertyIndex[name] else { return nil }
            return instance[index]
        case .tuple(let tuple):
            if let position = Int(name), position >= 0, position < tuple.elements.count {
                return tuple.elements[position]
            }
            return tuple.element(labelled: name)
        default: return nil
        }
    }
}
