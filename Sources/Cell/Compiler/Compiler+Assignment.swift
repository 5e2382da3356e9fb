/// Assignment, compound assignment and the places they change.
extension Compiler {
    /// Compiles an assignable expression, or returns nil (with no problem recorded) when the
    /// expression is not one.
    func compilePlace(_ expression: Expr) -> Place? {
        let site = location(expression.range)
        switch expression.kind {
        case .identifier(let name):
            if let local = context.resolveLocal(name) {
                return Place(
                    root: local.ref, rootName: name, rootIsLet: local.isLet, rootType: local.type,
                    steps: [], site: site, session: session)
            }
            if name != "self", context.implicitMember(name),
                let selfPlace = compilePlace(Expr(.identifier("self"), expression.range))
            {
                return Place(
                    root: selfPlace.root, rootName: "self", rootIsLet: selfPlace.rootIsLet,
                    steps: [.member(Place.MemberStep(name: name, location: site))], site: site,
                    session: session)
            }
            if name == "self" { return nil }
            let resolved = resolve(name)
            return Place(
                root: resolved.ref, rootName: name, rootIsLet: resolved.isLet,
                rootType: resolved.type, steps: [], site: site, session: session)
        case .dollar(let position):
            return compilePlace(Expr(.identifier("$\(position)"), expression.range))
        case .member(let base, let name, _):
            guard let basePlace = compilePlace(base) else { return nil }
            return Place(
                root: basePlace.root, rootName: basePlace.rootName, rootIsLet: basePlace.rootIsLet,
                rootType: basePlace.rootType,
                steps: basePlace.steps + [.member(Place.MemberStep(name: name, location: site))],
                site: site, session: session)
        case .postfix("!", let base):
            guard let basePlace = compilePlace(base) else { return nil }
            return Place(
                root: basePlace.root, rootName: basePlace.rootName, rootIsLet: basePlace.rootIsLet,
                rootType: basePlace.rootType, steps: basePlace.steps + [.forceUnwrap(site)],
                site: site, session: session)
        case .optionalMarker(let base):
            guard let basePlace = compilePlace(base) else { return nil }
            return Place(
                root: basePlace.root, rootName: basePlace.rootName, rootIsLet: basePlace.rootIsLet,
                rootType: basePlace.rootType, steps: basePlace.steps + [.unwrap], site: site,
                session: session)
        case .subscriptAccess(let base, let arguments):
            guard let basePlace = compilePlace(base) else { return nil }
            let step = Place.Step.index(
                Place.IndexStep(
                    evaluators: arguments.map { EvaluatorBox(call: compileExpression($0.value)) },
                    labels: arguments.map(\.label), location: site))
            return Place(
                root: basePlace.root, rootName: basePlace.rootName, rootIsLet: basePlace.rootIsLet,
                rootType: basePlace.rootType, steps: basePlace.steps + [step], site: site,
                session: session)
        default:
            return nil
        }
    }

    /// Compiles `target op value` (`=`, `+=`, …).
    func compileAssignment(_ op: String, _ target: Expr, _ value: Expr, range: SourceRange)
        -> (Frame) throws(Failure) -> Void
    {
        let site = location(range)
        if case .optionalChain(let inner) = target.kind {
            // `d[key]?[0] = x`: when the chain meets nil, nothing is assigned.
            let assign = compileAssignment(op, inner, value, range: range)
            return { frame throws(Failure) in
                do throws(Failure) {
                    try assign(frame)
                } catch {
                    if !error.isOptionalChainExit { throw error }
                }
            }
        }
        if case .identifier("_") = target.kind, op == "=" {
            let evaluate = compileExpression(value)
            return { frame throws(Failure) in _ = try evaluate(frame) }
        }
        if case .tuple(let elements) = target.kind, op == "=" {
            return compileTupleAssignment(elements, compileExpression(value), site: site)
        }
        var compound: BinaryOperator?
        if op != "=" {
            guard let binary = BinaryOperator(compoundAssignment: op) else {
                problem(.typeMismatch("unknown assignment operator '\(op)'"), at: range)
                return { frame throws(Failure) in }
            }
            compound = binary
        }
        guard let place = compilePlace(target) else {
            problem(
                .immutable(
                    "cannot assign to this expression; assign to a variable, property or subscript"),
                at: target.range)
            return { frame throws(Failure) in }
        }
        if place.rootIsLet, place.steps.isEmpty {
            let what =
                place.rootName == "self" ? "'self' in a non-mutating method" : "'\(place.rootName)'"
            problem(
                .immutable("cannot assign to \(what): it is a 'let' constant"), at: target.range)
            return { frame throws(Failure) in }
        }
        let session = self.session
        let fast = session.usesFastPaths
        if place.steps.isEmpty, let type = place.rootType {
            return typedAssignment(place, type, compound, compileExpression(value), site: site)
        }
        if place.steps.isEmpty, fast,
            let direct = directAssignment(place.root, compound, value, site: site)
        {
            return direct
        }
        if fast, let indexed = indexedAssignment(place, compound, value, site: site) {
            return indexed
        }
        let evaluate = compileExpression(value)
        if place.steps.isEmpty, compound == nil {
            let store = assignmentStorer(place.root)
            return { frame throws(Failure) in try store(frame, try evaluate(frame)) }
        }
        return { frame throws(Failure) in
            // The indices first, then the operand, as in Swift (`a[f()] = g()` calls f first).
            let indexValues = try place.evaluateIndices(frame)
            let operand = try evaluate(frame)
            if let reason = try place.immutabilityReason(frame) {
                throw Failure(.immutable("cannot assign through \(reason)"), at: site)
            }
            try place.assign(
                frame, indexValues: indexValues, operand, compound, fast: fast, at: site)
        }
    }

    /// Changes `current` by the assignment `current op operand` (`=` when `compound` is nil),
    /// keeping the declared type `leaf` of what is there, when known: an integer becomes a
    /// Double where one is declared, a value of another type is an error that leaves `current`
    /// as it was.
    static func assign(
        _ operand: Value, to current: inout Value, _ compound: BinaryOperator?,
        leaf: DeclaredLeaf?, fast: Bool, session: Session, at site: SourceLocation
    ) throws(Failure) {
        if let compound {
            if fast, case .int(let x) = current, case .int(let y) = operand,
                let result = Compiler.integerFastPath(compound, x, y)
            {
                current = try leaf?.check(result, session, at: site) ?? result
                return
            }
            guard let leaf else {
                try session.compoundAssign(compound, &current, operand, at: site)
                return
            }
            try session.compoundAssign(
                compound, &current, operand, keeping: TypeCheck(leaf.spec), at: site,
                message: leaf.message)
        } else {
            let newValue = try leaf?.check(operand, session, at: site) ?? operand
            var old = current
            current = newValue
            ValueTeardown.release(&old)
        }
    }

    /// `x = v` and `x += v` on a variable declared with a type: the new value converts to it
    /// (an integer assigned to a Double becomes a Double) or the assignment fails.
    private func typedAssignment(
        _ place: Place, _ type: DeclaredType, _ compound: BinaryOperator?,
        _ evaluate: @escaping Evaluator, site: SourceLocation
    ) -> (Frame) throws(Failure) -> Void {
        let session = self.session
        let name = place.rootName
        guard let compound else {
            let store = assignmentStorer(place.root)
            return { frame throws(Failure) in
                try store(
                    frame,
                    try session.converted(try evaluate(frame), to: type, name: name, at: site))
            }
        }
        guard case .declared(let check) = type else {
            return { frame throws(Failure) in
                let operand = try evaluate(frame)
                try place.modify(frame) { current throws(Failure) in
                    try session.compoundAssign(compound, &current, operand, at: site)
                    current = try session.converted(current, to: type, name: name, at: site)
                }
            }
        }
        return { frame throws(Failure) in
            let operand = try evaluate(frame)
            try place.modify(frame) { current throws(Failure) in
                try session.compoundAssign(compound, &current, operand, keeping: check, at: site) {
                    value in
                    "cannot assign a value of type \(value.typeName) to '\(name)' of type "
                        + check.spec.description
                }
            }
        }
    }

    /// `x = v` and `x += v` on a local slot or a global, reading and writing it in place.
    private func directAssignment(
        _ root: VariableRef, _ compound: BinaryOperator?, _ value: Expr, site: SourceLocation
    ) -> ((Frame) throws(Failure) -> Void)? {
        switch root {
        case .local, .global: break
        default: return nil
        }
        let operand = compileOperand(value)
        let session = self.session
        switch (root, compound) {
        case (.local(let slot), nil):
            return { frame throws(Failure) in
                frame.replace(slot, with: try operand.fetch(frame, session))
            }
        case (.local(let slot), let compound?):
            return { frame throws(Failure) in
                let right = try operand.fetch(frame, session)
                if case .int(let x) = frame[slot], case .int(let y) = right,
                    let result = Compiler.integerFastPath(compound, x, y)
                {
                    frame[slot] = result
                    return
                }
                // Moved out of the slot and back, so `s += "…"` appends without a copy.
                var current = frame.take(slot)
                defer { frame[slot] = current }
                try session.compoundAssign(compound, &current, right, at: site)
            }
        case (.global(let address, _), nil):
            return { frame throws(Failure) in
                Compiler.replace(address, with: try operand.fetch(frame, session))
            }
        case (.global(let address, let name), let compound?):
            return { frame throws(Failure) in
                let right = try operand.fetch(frame, session)
                guard var current = address.pointee else {
                    throw session.undefinedName(name, at: site)
                }
                if case .int(let x) = current, case .int(let y) = right,
                    let result = Compiler.integerFastPath(compound, x, y)
                {
                    address.pointee = result
                    return
                }
                // Moved out of the global and back, so `s += "…"` appends without a copy.
                address.pointee = .void
                defer { address.pointee = current }
                try session.compoundAssign(compound, &current, right, at: site)
            }
        default:
            return nil
        }
    }

    /// `(a, b) = value`. As in Swift, the indices of targets with subscripts are evaluated
    /// first, left to right, then the value (`(xs[f()], y) = g()` calls f before g), then each
    /// target is assigned in order. Before the first is, each value is checked against its
    /// target's declared type, and each target's indices against its arrays (as far as they
    /// can be without running cell code), so that a failed assignment changes nothing.
    private func compileTupleAssignment(
        _ elements: [TupleElement], _ evaluate: @escaping Evaluator, site: SourceLocation
    ) -> (Frame) throws(Failure) -> Void {
        var stores: [BinderBox] = []
        var indexed: [(position: Int, place: Place, site: SourceLocation)] = []
        var checks: [(position: Int, check: BinderBox)] = []
        for (position, element) in elements.enumerated() {
            let (store, place, check) = tupleElementStore(element.value)
            stores.append(BinderBox(call: store))
            if let place { indexed.append((position, place, location(element.value.range))) }
            if let check { checks.append((position, BinderBox(call: check))) }
        }
        let count = stores.count
        func destructure(_ value: Value) throws(Failure) -> [Value] {
            guard case .tuple(let tuple) = value, tuple.elements.count == count else {
                throw Failure(
                    .typeMismatch(
                        "cannot assign a value of type \(value.typeName) to a tuple of "
                            + "\(count) places"), at: site)
            }
            return tuple.elements
        }
        guard !indexed.isEmpty else {
            return { frame throws(Failure) in
                let values = try destructure(try evaluate(frame))
                for (position, check) in checks { try check.call(frame, values[position]) }
                for (store, element) in zip(stores, values) { try store.call(frame, element) }
            }
        }
        let fast = session.usesFastPaths
        return { frame throws(Failure) in
            var indexValues: [[[Value]]] = []
            for target in indexed { indexValues.append(try target.place.evaluateIndices(frame)) }
            let values = try destructure(try evaluate(frame))
            var nextCheck = 0
            for (next, target) in indexed.enumerated() {
                while nextCheck < checks.count, checks[nextCheck].position < target.position {
                    try checks[nextCheck].check.call(frame, values[checks[nextCheck].position])
                    nextCheck += 1
                }
                try target.place.checkBeforeStoring(
                    values[target.position], frame, indexValues: indexValues[next],
                    at: target.site)
            }
            for (position, check) in checks[nextCheck...] {
                try check.call(frame, values[position])
            }
            var next = 0
            for (position, store) in stores.enumerated() {
                guard next < indexed.count, indexed[next].position == position else {
                    try store.call(frame, values[position])
                    continue
                }
                let target = indexed[next]
                try target.place.assign(
                    frame, indexValues: indexValues[next], values[position], nil, fast: fast,
                    at: target.site)
                next += 1
            }
        }
    }

    /// How one target of a tuple assignment is assigned: a binder, or for a target with
    /// subscripts or members, its place (whose indices are evaluated before the value); and
    /// for a variable with a declared type, the check of its value made before any target is
    /// assigned.
    private func tupleElementStore(_ target: Expr) -> (Binder, Place?, Binder?) {
        if case .identifier("_") = target.kind { return (Compiler.ignoreBinding, nil, nil) }
        guard let place = compilePlace(target) else {
            problem(.immutable("cannot assign to this expression"), at: target.range)
            return (Compiler.ignoreBinding, nil, nil)
        }
        if place.rootIsLet, place.steps.isEmpty {
            problem(
                .immutable("cannot assign to '\(place.rootName)': it is a 'let' constant"),
                at: target.range)
        }
        guard place.steps.isEmpty else { return (Compiler.ignoreBinding, place, nil) }
        let store = assignmentStorer(place.root)
        guard let type = place.rootType else { return (store, nil, nil) }
        let session = self.session
        let name = place.rootName
        let site = location(target.range)
        return (
            { frame, value throws(Failure) in
                try store(frame, try session.converted(value, to: type, name: name, at: site))
            }, nil,
            { _, value throws(Failure) in
                _ = try session.converted(value, to: type, name: name, at: site)
            }
        )
    }

    /// A binder that binds nothing (`_`).
    static var ignoreBinding: Binder {
        { (frame: Frame, value: Value) throws(Failure) -> Void in
            _ = frame
            _ = value
        }
    }
}
