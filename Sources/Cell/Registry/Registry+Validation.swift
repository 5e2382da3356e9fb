/// Checking a registry's declarations: every type a signature or property names must parse and
/// be a registered type, protocol or one of the language's own, so a misspelt type in a
/// binding (`type: "Tensr"`) is caught where it is declared rather than accepting anything.
extension Registry {
    /// The language's own type names, which are not registered as types.
    static let languageTypeNames: Set<String> = [
        "Int", "Double", "Bool", "String", "Void", "Range", "ClosedRange", "Array",
        "Dictionary", "Function", "Type", "Equatable", "Hashable", "Comparable",
        "CustomStringConvertible",
    ]

    /// Whether a declaration may name `name` as a type.
    func isKnownTypeName(_ name: String) -> Bool {
        types[name] != nil || protocols[name] != nil || Registry.languageTypeNames.contains(name)
    }

    /// What is wrong with the registered declarations' types, one line each
    /// (`Dense(_:_:activation:): parameter 'activation' has the unknown type 'Activaton'`);
    /// empty when every declared type is known. The tests run it over the whole library.
    public func typeProblems() -> [String] {
        var problems: [String] = []
        func check(_ signature: Signature, in owner: String?) {
            let place = (owner.map { $0 + "." } ?? "") + signature.selector
            for parameter in signature.parameters {
                if let error = parameter.typeError {
                    problems.append("\(place): parameter '\(parameter.name)': \(error)")
                    continue
                }
                for name in parameter.spec.namedTypes where !isKnownTypeName(name) {
                    problems.append(
                        "\(place): parameter '\(parameter.name)' has the unknown type '\(name)'")
                }
            }
        }
        func check(property name: String, type: String?, in owner: String) {
            guard let type else { return }
            switch TypeSpec.parse(type, genericPlaceholders: true) {
            case .failure(let error):
                problems.append("\(owner).\(name): \(error.message)")
            case .success(let spec):
                for typeName in spec.namedTypes where !isKnownTypeName(typeName) {
                    problems.append("\(owner).\(name) has the unknown type '\(typeName)'")
                }
            }
        }
        for overloads in functions.values {
            for function in overloads { check(function.signature, in: nil) }
            // Two bindings with the same labels and parameter types: the first one found would
            // hide the other (overloads by type, as `abs` on numbers and tensors, are fine).
            for (index, function) in overloads.enumerated() {
                let signature = function.signature
                let hidden = overloads[..<index].contains {
                    $0.signature.selector == signature.selector
                        && $0.signature.parameters.map(\.spec) == signature.parameters.map(\.spec)
                }
                if hidden { problems.append("\(signature.selector) is registered twice") }
            }
        }
        for (typeName, info) in types {
            for function in info.initializers + info.staticMethods.values.flatMap({ $0 }) {
                check(function.signature, in: typeName)
            }
            for method in info.methods.values.flatMap({ $0 }) + info.callAsFunction {
                check(method.signature, in: typeName)
            }
            for item in info.subscripts { check(item.signature, in: typeName) }
            for property in info.properties.values {
                check(property: property.name, type: property.type, in: typeName)
            }
        }
        return problems.sorted()
    }
}
