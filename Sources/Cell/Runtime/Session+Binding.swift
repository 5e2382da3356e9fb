/// Binding call arguments to registry signatures: labels to parameters, defaults, variadic and
/// builder arguments, declared types, and the choice between overloads.
extension Session {
    /// Binds arguments to a registry signature: the values in parameter order, defaults filled,
    /// variadic arguments and builder closures collected, declared types checked.
    func bind(_ arguments: inout CallArguments, to signature: Signature) throws(Failure) -> [Value]
    {
        let assignment = signature.assignment(
            labels: arguments.labels, trailingClosureCount: arguments.trailingClosureCount)
        switch assignment {
        case .success(let slots):
            return try bind(arguments.values, slots: slots, to: signature, site: arguments.site)
        case .failure(let error):
            throw Failure(error, at: arguments.site)
        }
    }

    /// Binds argument values by an assignment computed earlier (call sites cache it: the
    /// labels of a call never change).
    func bind(
        _ values: [Value], slots: [ArgumentBinder.Slot], to signature: Signature,
        site: SourceLocation?
    ) throws(Failure) -> [Value] {
        // Parameters are read in place: copying one (a dozen fields, several strings) per
        // argument was a fifth of a `print(i)` loop.
        let parameters = signature.parameters
        var bound: [Value] = []
        bound.reserveCapacity(parameters.count)
        for position in slots.indices {
            switch slots[position] {
            case .omitted:
                bound.append(parameters[position].defaultValue ?? .array([]))
            case .argument(let index):
                var value = values[index]
                if parameters[position].isBuilder { value = try runBuilder(value, site) }
                bound.append(try conformArgument(value, position, signature, site))
            case .variadic(let group):
                var elements: [Value] = []
                elements.reserveCapacity(group.count)
                for index in group {
                    elements.append(try conformArgument(values[index], position, signature, site))
                }
                bound.append(.array(elements))
            }
        }
        return bound
    }

    /// The argument for the parameter at `position` of `signature`, converted to its declared
    /// type, or the reason it cannot be.
    private func conformArgument(
        _ value: Value, _ position: Int, _ signature: Signature, _ site: SourceLocation?
    ) throws(Failure) -> Value {
        switch signature.parameters[position].spec {
        case .any:
            if case .function(let implicit as ImplicitMember) = value {
                throw Failure(
                    .typeMismatch(
                        "cannot infer the type of '.\(implicit.memberName)' for parameter "
                            + "'\(signature.parameters[position].name)' of \(signature.name)"),
                    at: implicit.site ?? site)
            }
            return value
        case .named(let name):
            switch value {
            case .int where name == "Int", .double where name == "Double",
                .string where name == "String", .bool where name == "Bool":
                return value
            default:
                break
            }
        default:
            break
        }
        let parameter = signature.parameters[position]
        return try conform(value, to: parameter.spec, at: site, registryParameter: true) { value in
            "cannot convert value of type \(value.typeName) to expected argument type "
                + "\(parameter.spec.description) (parameter '\(parameter.name)' of "
                + "\(signature.name))"
        }
    }

    /// The index of the first signature whose parameters accept the arguments' labels; when
    /// none does, the error of the first.
    func chooseOverload(_ signatures: [Signature], for arguments: CallArguments) throws(Failure)
        -> Int
    {
        var firstError: CellError?
        var labelMatches: [Int] = []
        var closureMatches: [Int] = []
        let firstTrailing = arguments.values.count - arguments.trailingClosureCount
        for (index, signature) in signatures.enumerated() {
            let parameters = signature.parameters
            if case .success(let slots) = signature.assignment(
                labels: arguments.labels, trailingClosureCount: arguments.trailingClosureCount)
            {
                labelMatches.append(index)
                // As in Swift, a trailing closure goes to a parameter of function type when
                // an overload has one there (`xs.contains { $0 > 5 }` is `contains(where:)`).
                let closuresFit = zip(slots, parameters).allSatisfy { slot, parameter in
                    guard case .argument(let argument) = slot, argument >= firstTrailing else {
                        return true
                    }
                    if case .function = parameter.spec { return true }
                    return false
                }
                if closuresFit { closureMatches.append(index) }
            }
        }
        // One candidate by labels: binding it gives the most precise error about types.
        if labelMatches.count == 1, let only = labelMatches.first { return only }
        if arguments.trailingClosureCount > 0, closureMatches.count == 1,
            let only = closureMatches.first
        {
            return only
        }
        for (index, signature) in signatures.enumerated() {
            let parameters = signature.parameters
            let result = signature.assignment(
                labels: arguments.labels, trailingClosureCount: arguments.trailingClosureCount)
            switch result {
            case .success(let slots):
                if typesPlausible(slots, parameters, arguments.values) { return index }
                firstError =
                    firstError
                    ?? .badArguments(
                        "no overload of \(signature.name) accepts arguments of type "
                            + arguments.values.map(\.typeName).joined(separator: ", "))
            case .failure(let error):
                firstError = firstError ?? error
            }
        }
        if signatures.count > 1, case .badArguments(let message)? = firstError {
            let choices = signatures.map { "  " + $0.text }.joined(separator: "\n")
            firstError = .badArguments(message + "; the choices are:\n" + choices)
        }
        throw Failure(firstError ?? .badArguments("no matching call"), at: arguments.site)
    }

    /// Whether arguments are plausibly of the declared types (for choosing among overloads).
    private func typesPlausible(
        _ slots: [ArgumentBinder.Slot], _ parameters: [Parameter], _ values: [Value]
    ) -> Bool {
        for (position, slot) in slots.enumerated() {
            guard case .argument(let index) = slot else { continue }
            let parameter = parameters[position]
            if parameter.isBuilder, case .function = values[index] { continue }
            if !matches(values[index], parameter.spec) { return false }
        }
        return true
    }
}
