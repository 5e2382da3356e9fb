/// `xs[i] = v`, `d[key] = v`, `grid[i][j] = v`, `xs[i] += n` and `d[key, default: 0] += n` on a
/// variable, without the general place machinery (index lists, subscript arguments and a
/// closure per step), which cost about 6,000 instructions per assignment (11,000 for two
/// indices) against a few hundred for the change itself.
extension Compiler {
    /// The assignment `root[index] op value` (or `root[index][index2] op value`, with `!`
    /// allowed between the two) when its target is a `var` followed by plain indices (or, for
    /// `op=`, one key and a `default:`), or nil (having compiled nothing) for any other target.
    ///
    /// At run time, arrays indexed by an Int in range and dictionaries holding the key (or, at
    /// the last index, gaining it) are changed in place in the variable (`Value.storeElement`,
    /// `Value.changeElement`, `Value.combineIntElement`). Anything else — an index out of
    /// range or of the wrong type, a missing outer key, nil, a string, a library type's
    /// subscript, nil assigned to remove an entry, a compound assignment other than Int
    /// arithmetic that fits, an undefined global — goes on to the general path with the operand
    /// and indices already evaluated, so results and errors are the general path's. The indices
    /// (and a `default:`) are evaluated before the operand, left to right, as on the general
    /// path and in Swift.
    func indexedAssignment(
        _ place: Place, _ compound: BinaryOperator?, _ value: Expr, site: SourceLocation
    ) -> ((Frame) throws(Failure) -> Void)? {
        guard !place.rootIsLet, case .index = place.steps.last else { return nil }
        var indexSteps: [Place.IndexStep] = []
        for step in place.steps {
            switch step {
            case .index(let index): indexSteps.append(index)
            // A no-op on a value; on nil, the element change fails and the general path reports it.
            case .forceUnwrap: continue
            case .member, .unwrap: return nil
            }
        }
        guard let outer = indexSteps.first, indexSteps.count <= 2 else { return nil }
        let plain = indexSteps.allSatisfy { $0.labels == [nil] }
        let withDefault = indexSteps.count == 1 && outer.labels == [nil, "default"]
        guard plain || (compound != nil && withDefault) else { return nil }
        switch place.root {
        case .local, .boxed, .capture, .global: break
        case .ownFunction: return nil
        }
        // A compound assignment into a declared type other than Int checks its result: left
        // to the general path (Int arithmetic on Ints stays Int).
        let elementCheck = place.elementCheck
        if compound != nil, let elementCheck {
            guard case .int = elementCheck.check else { return nil }
        }
        let operand = compileOperand(value)
        let index = outer.evaluators[0].call
        let innerIndex = indexSteps.count == 2 ? indexSteps[1].evaluators[0].call : nil
        let fallbackIndex = plain ? nil : outer.evaluators[1].call
        let root = place.root
        let session = self.session
        guard let compound else {
            guard let elementCheck else {
                return { frame throws(Failure) in
                    let key = try index(frame)
                    let innerKey = try innerIndex?(frame)
                    let newValue = try operand.fetch(frame, session)
                    if Compiler.storeInPlace(root, frame, newValue, key, innerKey) { return }
                    try Compiler.assignOnGeneralPath(place, frame, newValue, key, innerKey, site)
                }
            }
            // On a declared type, the new element is checked before it is stored: a value of
            // the declared scalar type as it is inline, anything else aside. A separate
            // closure, so that an assignment to an untyped variable pays nothing.
            return { frame throws(Failure) in
                let key = try index(frame)
                let innerKey = try innerIndex?(frame)
                let newValue = try operand.fetch(frame, session)
                if elementCheck.matches(newValue) {
                    if Compiler.storeInPlace(root, frame, newValue, key, innerKey) { return }
                    try Compiler.assignOnGeneralPath(place, frame, newValue, key, innerKey, site)
                    return
                }
                try Compiler.storeChecked(
                    elementCheck, place, frame, newValue, key, innerKey, site)
            }
        }
        return { frame throws(Failure) in
            let key = try index(frame)
            let innerKey = try innerIndex?(frame)
            let fallback = try fallbackIndex?(frame)
            let right = try operand.fetch(frame, session)
            if case .int(let y) = right {
                let combined = Compiler.changeInPlace(root, frame) { value in
                    guard let innerKey else {
                        return value.combineIntElement(at: key, fallback: fallback) {
                            Compiler.integerFastPath(compound, $0, y)
                        }
                    }
                    return value.changeElement(at: key) {
                        $0.combineIntElement(at: innerKey) {
                            Compiler.integerFastPath(compound, $0, y)
                        }
                    }
                }
                if combined { return }
            }
            try place.assign(
                frame, indexValues: Compiler.indexLists(key, innerKey, fallback), right, compound,
                fast: true, at: site)
        }
    }

    /// `root[key] = newValue` (or `root[key][innerKey] = newValue`) in place, when the fast
    /// path can (`Value.storeElement`, `Value.changeElement`); false, with nothing changed,
    /// when it cannot.
    @inline(__always)
    private static func storeInPlace(
        _ root: VariableRef, _ frame: Frame, _ newValue: Value, _ key: Value, _ innerKey: Value?
    ) -> Bool {
        Compiler.changeInPlace(root, frame) { value in
            guard let innerKey else { return value.storeElement(newValue, at: key) }
            return value.changeElement(at: key) { $0.storeElement(newValue, at: innerKey) }
        }
    }

    /// `root[key] = newValue` on a declared type that `newValue` does not match as it is:
    /// converted (an integer where a Double is declared) and stored in place. A value that
    /// does not convert, a range index (which stores an array) and nil (which removes) go to
    /// the general path, which reports an error in its own order (an index out of range or a
    /// nil before the `!` come before the type of the value, as in `(a[5], b) = ("x", 1)`).
    @inline(never)
    private static func storeChecked(
        _ elementCheck: ElementCheck, _ place: Place, _ frame: Frame, _ newValue: Value,
        _ key: Value, _ innerKey: Value?, _ site: SourceLocation
    ) throws(Failure) {
        if newValue.isNil || key.isRange || innerKey?.isRange == true {
            try assignOnGeneralPath(place, frame, newValue, key, innerKey, site)
            return
        }
        let converted: Value
        do {
            converted = try elementCheck.checked(newValue, place.session, at: site)
        } catch {
            try assignOnGeneralPath(place, frame, newValue, key, innerKey, site)
            return
        }
        if storeInPlace(place.root, frame, converted, key, innerKey) { return }
        try assignOnGeneralPath(place, frame, converted, key, innerKey, site)
    }

    /// The plain assignment the fast path leaves to the general path, with its operand and
    /// indices evaluated.
    @inline(never)
    private static func assignOnGeneralPath(
        _ place: Place, _ frame: Frame, _ newValue: Value, _ key: Value, _ innerKey: Value?,
        _ site: SourceLocation
    ) throws(Failure) {
        try place.assign(
            frame, indexValues: indexLists(key, innerKey, nil), newValue, nil, fast: true,
            at: site)
    }

    /// The evaluated indices as `Place.modify(_:indexValues:_:)` takes them: one list per
    /// index step.
    private static func indexLists(_ key: Value, _ innerKey: Value?, _ fallback: Value?)
        -> [[Value]]
    {
        if let innerKey { return [[key], [innerKey]] }
        if let fallback { return [[key, fallback]] }
        return [[key]]
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
    /// Whether this is a range (an index that reaches several elements).
    @inline(__always)
    fileprivate var isRange: Bool {
        if case .range = self { return true }
        return false
    }

    /// Runs `change` on this value (for changing an optional's value in place by chaining).
    @inline(__always)
    fileprivate mutating func changed(by change: (inout Value) -> Bool) -> Bool {
        change(&self)
    }
}
