/// `xs[i] = v`, `d[key] = v`, `xs[i] += n` and `d[key, default: 0] += n` on a variable, without
/// the general place machinery (index lists, subscript arguments and a closure per step), which
/// cost about 6,000 instructions per assignment against a few hundred for the change itself.
extension Compiler {
    /// The assignment `root[index] op value` when its target is a `var` followed by one plain
    /// index (or, for `op=`, a key and a `default:`), or nil (having compiled nothing) for any
    /// other target.
    ///
    /// At run time, an array indexed by an Int in range or a dictionary is changed in place in
    /// its variable (`Value.storeElement`, `Value.combineIntElement`). Anything else — an index
    /// out of range or of the wrong type, a string, a library type's subscript, nil assigned to
    /// remove an entry, a compound assignment other than Int arithmetic that fits, an undefined
    /// global — goes on to the general path with the operand and index already evaluated, so
    /// results and errors are the general path's. The operand is evaluated before the index,
    /// as on the general path.
    func indexedAssignment(
        _ place: Place, _ compound: BinaryOperator?, _ value: Expr, site: SourceLocation
    ) -> ((Frame) throws(Failure) -> Void)? {
        guard !place.rootIsLet, place.steps.count == 1, case .index(let step) = place.steps[0]
        else { return nil }
        // `xs[i]`, `d[key]`, and `d[key, default: x]` when combined (`+=`, …).
        let plain = step.labels == [nil]
        guard plain || (compound != nil && step.labels == [nil, "default"]) else { return nil }
        switch place.root {
        case .local, .boxed, .capture, .global: break
        case .ownFunction: return nil
        }
        // A compound assignment into Doubles converts its result: left to the general path.
        if compound != nil, place.leafSpec != nil { return nil }
        let operand = compileOperand(value)
        let index = step.evaluators[0].call
        let fallbackIndex = plain ? nil : step.evaluators[1].call
        let root = place.root
        let session = self.session
        guard let compound else {
            let leafSpec = place.leafSpec
            return { frame throws(Failure) in
                var newValue = try operand.fetch(frame, session)
                if let leafSpec { newValue = leafSpec.convertingIntegers(newValue) }
                let key = try index(frame)
                if Compiler.changeInPlace(root, frame, { $0.storeElement(newValue, at: key) }) {
                    return
                }
                try place.modify(frame, indexValues: [[key]]) { current throws(Failure) in
                    try Compiler.assign(
                        newValue, to: &current, nil, leafSpec: nil, fast: true,
                        session: session, at: site)
                }
            }
        }
        return { frame throws(Failure) in
            let right = try operand.fetch(frame, session)
            let key = try index(frame)
            let fallback = try fallbackIndex?(frame)
            if case .int(let y) = right,
                Compiler.changeInPlace(
                    root, frame,
                    {
                        $0.combineIntElement(at: key, fallback: fallback) { x in
                            Compiler.integerFastPath(compound, x, y)
                        }
                    }
                )
            {
                return
            }
            let indices = fallback.map { [key, $0] } ?? [key]
            try place.modify(frame, indexValues: [indices]) { current throws(Failure) in
                try Compiler.assign(
                    right, to: &current, compound, leafSpec: nil, fast: true, session: session,
                    at: site)
            }
        }
    }

    /// Runs `change` on the value of the variable `root` where it is stored, without moving it
    /// out (so an array or dictionary nothing else shares stays unique); returns what `change`
    /// returns, or false for an undefined global or a local function's own name. `change` must
    /// not run cell code, which could see the variable while it changes.
    @inline(__always)
    static func changeInPlace(
        _ root: VariableRef, _ frame: Frame, _ change: (inout Value) -> Bool
    ) -> Bool {
        switch root {
        case .local(let slot): return change(&frame.slots[slot])
        case .boxed(let index): return change(&frame.box(index).value)
        case .capture(let index): return change(&frame.capture(index).value)
        case .global(let address, _):
            // Optional chaining changes the stored value in place.
            return address.pointee?.changed(by: change) ?? false
        case .ownFunction: return false
        }
    }
}

extension Value {
    /// Runs `change` on this value (for changing an optional's value in place by chaining).
    @inline(__always)
    fileprivate mutating func changed(by change: (inout Value) -> Bool) -> Bool {
        change(&self)
    }
}
