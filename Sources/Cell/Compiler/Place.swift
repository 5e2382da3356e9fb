/// A compiled assignable location: a variable followed by member and subscript steps
/// (`grid[i][j]`, `self.layers[0].weight`). Changing it moves the root value out of its
/// variable, changes it in place along the steps, and moves it back, so no copy of shared
/// storage is made when nothing else shares it.
struct Place {
    /// One member or subscript step.
    enum Step {
        case member(String, SourceLocation)
        case index([Evaluator], labels: [String?], SourceLocation)
    }

    let root: VariableRef
    let rootName: String
    let rootIsLet: Bool
    let steps: [Step]
    let site: SourceLocation
    let session: Session

    /// Reads the current value.
    func read(_ frame: Frame) throws(Failure) -> Value {
        var value = try readRoot(frame)
        for step in steps {
            switch step {
            case .member(let name, let location):
                value = try session.member(name, of: value, at: location)
            case .index(let evaluators, let labels, let location):
                var values: [Value] = []
                for evaluate in evaluators { values.append(try evaluate(frame)) }
                var list = CallArguments(values, labels: labels, site: location)
                value = try session.subscriptValue(value, &list)
            }
        }
        return value
    }

    private func readRoot(_ frame: Frame) throws(Failure) -> Value {
        switch root {
        case .local(let slot): return frame[slot]
        case .boxed(let index): return frame.box(index).value
        case .capture(let index): return frame.capture(index).value
        case .global(let address, let name):
            guard let value = address.pointee else { throw session.undefinedName(name, at: site) }
            return value
        }
    }

    /// Why the place cannot change, or nil when it can. A `let` holding a library reference
    /// object may still have its properties changed, as with a Swift class.
    func immutabilityReason(_ frame: Frame) throws(Failure) -> String? {
        guard rootIsLet else { return nil }
        if !steps.isEmpty, case .host(let object) = try readRoot(frame),
            object.type.kind == .reference
        {
            return nil
        }
        if rootName == "self" {
            return "'self' is immutable in a non-mutating method; mark the method 'mutating'"
        }
        return "'\(rootName)' is a 'let' constant; declare it with 'var' to change it"
    }

    /// Changes the value in place through `body`.
    func modify(_ frame: Frame, _ body: (inout Value) throws(Failure) -> Void) throws(Failure) {
        // Subscript indices are evaluated before the root is moved out, left to right.
        var indexValues: [[Value]] = []
        for step in steps {
            if case .index(let evaluators, _, _) = step {
                var values: [Value] = []
                for evaluate in evaluators { values.append(try evaluate(frame)) }
                indexValues.append(values)
            }
        }
        switch root {
        case .local(let slot):
            var value = frame.take(slot)
            defer { frame[slot] = value }
            try apply(&value, 0, 0, indexValues, body)
        case .boxed(let index):
            try modify(frame.box(index), indexValues, body)
        case .capture(let index):
            try modify(frame.capture(index), indexValues, body)
        case .global(let address, let name):
            guard var value = address.pointee else { throw session.undefinedName(name, at: site) }
            address.pointee = .void
            defer { address.pointee = value }
            try apply(&value, 0, 0, indexValues, body)
        }
    }

    private func modify(
        _ box: Box, _ indexValues: [[Value]], _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        var value = box.value
        box.value = .void
        defer { box.value = value }
        try apply(&value, 0, 0, indexValues, body)
    }

    private func apply(
        _ value: inout Value, _ position: Int, _ indexPosition: Int, _ indexValues: [[Value]],
        _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        guard position < steps.count else {
            try body(&value)
            return
        }
        switch steps[position] {
        case .member(let name, let location):
            try session.modifyMember(name, of: &value, at: location) { inner throws(Failure) in
                try apply(&inner, position + 1, indexPosition, indexValues, body)
            }
        case .index(_, let labels, let location):
            var list = CallArguments(indexValues[indexPosition], labels: labels, site: location)
            try session.modifySubscript(&value, &list) { inner throws(Failure) in
                try apply(&inner, position + 1, indexPosition + 1, indexValues, body)
            }
        }
    }
}
