/// Matches call arguments to parameters by Swift's rules: labels in order, defaulted and
/// variadic parameters may be skipped, variadic parameters collect consecutive unlabelled
/// arguments, a trailing closure fills the next parameter that takes a function. Produces the
/// messages Swift users know (`missing argument label 'epochs:' in call`).
enum ArgumentBinder {
    /// Where each parameter's value comes from.
    enum Slot: Equatable {
        /// The argument was omitted: use the default.
        case omitted
        /// The argument at this index.
        case argument(Int)
        /// A variadic parameter's arguments.
        case variadic([Int])
    }

    /// Assigns arguments (given by their labels) to `parameters`.
    static func assign(
        labels: [String?], trailingClosureCount: Int, to parameters: [Parameter],
        hasDefault: (Int) -> Bool, callee: String
    ) -> Result<[Slot], CellError> {
        var slots = Array(repeating: Slot.omitted, count: parameters.count)
        var next = 0
        var index = 0
        let firstTrailing = labels.count - trailingClosureCount
        while index < labels.count {
            let label = labels[index]
            if index >= firstTrailing, label == nil,
                let target = trailingClosureTarget(from: next, parameters, hasDefault)
            {
                slots[target] = .argument(index)
                next = target + 1
                index += 1
                continue
            }
            var matched = false
            while next < parameters.count {
                let parameter = parameters[next]
                if parameter.label == label {
                    if parameter.isVariadic {
                        var collected = [index]
                        while index + 1 < firstTrailing, labels[index + 1] == nil {
                            index += 1
                            collected.append(index)
                        }
                        slots[next] = .variadic(collected)
                    } else {
                        slots[next] = .argument(index)
                    }
                    next += 1
                    matched = true
                    break
                }
                if hasDefault(next) || parameter.isVariadic {
                    next += 1
                    continue
                }
                break
            }
            if !matched {
                return .failure(
                    mismatch(
                        label: label, at: next, parameters: parameters, slots: slots,
                        callee: callee, argumentCount: labels.count))
            }
            index += 1
        }
        for (position, parameter) in parameters.enumerated()
        where slots[position] == .omitted && !hasDefault(position) && !parameter.isVariadic {
            let name = parameter.label.map { "'\($0)'" } ?? "#\(position + 1)"
            return .failure(
                .badArguments("missing argument for parameter \(name) in call to \(callee)"))
        }
        return .success(slots)
    }

    /// The parameter a trailing closure fills: the next one, skipping defaulted parameters
    /// that do not take functions.
    private static func trailingClosureTarget(
        from start: Int, _ parameters: [Parameter], _ hasDefault: (Int) -> Bool
    ) -> Int? {
        var position = start
        while position < parameters.count {
            let parameter = parameters[position]
            if parameter.isBuilder || parameter.takesFunction { return position }
            if !hasDefault(position) && !parameter.isVariadic { return position }
            position += 1
        }
        return nil
    }

    private static func mismatch(
        label: String?, at position: Int, parameters: [Parameter], slots: [Slot], callee: String,
        argumentCount: Int
    ) -> CellError {
        let written = label.map { "'\($0):'" } ?? "an unlabelled argument"
        if position < parameters.count {
            let expected = parameters[position]
            if let label, parameters[(position + 1)...].contains(where: { $0.label == label }) {
                let name = expected.label.map { "'\($0)'" } ?? "#\(position + 1)"
                return .badArguments("missing argument for parameter \(name) in call to \(callee)")
            }
            switch (label, expected.label) {
            case (nil, let wanted?):
                return .badArguments("missing argument label '\(wanted):' in call to \(callee)")
            case (let have?, nil):
                return .badArguments("extraneous argument label '\(have):' in call to \(callee)")
            case (let have?, let wanted?):
                return .badArguments(
                    "incorrect argument label in call to \(callee) (have '\(have):', "
                        + "expected '\(wanted):')")
            case (nil, nil):
                return .badArguments("extra argument in call to \(callee)")
            }
        }
        // Ran out of parameters: an earlier one skipped for its default may be the intended one.
        let skipped = parameters.indices.filter { slots[$0] == .omitted }
        if let label, let earlier = parameters.firstIndex(where: { $0.label == label }) {
            if slots[earlier] == .omitted {
                let after = parameters[(earlier + 1)...].first { parameter in
                    parameters.firstIndex(where: { $0.label == parameter.label }).map {
                        slots[$0] != .omitted
                    } ?? false
                }
                return .badArguments(
                    "argument '\(label):' must precede argument '\(after?.label ?? "_"):' "
                        + "in call to \(callee)")
            }
            return .badArguments("argument '\(label):' is given twice in call to \(callee)")
        }
        if label == nil, let first = skipped.first(where: { parameters[$0].label != nil }),
            let wanted = parameters[first].label
        {
            return .badArguments("missing argument label '\(wanted):' in call to \(callee)")
        }
        if let label {
            let candidates = skipped.compactMap { parameters[$0].label }
            if let close = Suggestion.closest(to: label, in: candidates) {
                return .badArguments(
                    "incorrect argument label in call to \(callee) (have '\(label):', "
                        + "expected '\(close):')")
            }
            return .badArguments(
                "\(callee) has no parameter labelled \(written)"
                    + (candidates.isEmpty
                        ? ""
                        : "; it takes "
                            + candidates.map { "'\($0):'" }
                            .joined(separator: ", ")))
        }
        let count = parameters.count
        return .badArguments(
            "extra argument in call to \(callee): it takes \(count) argument\(count == 1 ? "" : "s")"
                + ", but \(argumentCount) were given")
    }
}

extension Parameter {
    /// Whether the parameter is declared to take a function (or is untyped).
    var takesFunction: Bool {
        switch spec {
        case .function, .any: return true
        case .optional(.function): return true
        default: return false
        }
    }
}

extension Signature {
    /// Where each of this signature's parameters gets its value in a call with `labels`
    /// (`ArgumentBinder.assign` with the parameters' own defaults).
    func assignment(labels: [String?], trailingClosureCount: Int) -> Result<
        [ArgumentBinder.Slot], CellError
    > {
        let parameters = self.parameters
        return ArgumentBinder.assign(
            labels: labels, trailingClosureCount: trailingClosureCount, to: parameters,
            hasDefault: { parameters[$0].defaultValue != nil }, callee: name)
    }
}
