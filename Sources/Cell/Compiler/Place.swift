/// A compiled assignable location: a variable followed by member and subscript steps
/// (`grid[i][j]`, `self.layers[0].weight`). Changing it moves the root value out of its
/// variable, changes it in place along the steps, and moves it back, so no copy of shared
/// storage is made when nothing else shares it.
final class Place {
    /// One member or subscript step.
    enum Step {
        case member(MemberStep)
        case index(IndexStep)
        /// `?` in an optional chain (`d[key]?.append(x)`): a nil value ends the chain, which
        /// then changes nothing.
        case unwrap
        /// `!` (`counts[word]! += 1`): a nil value is an error.
        case forceUnwrap(SourceLocation)
    }

    /// A `.name` step, with the struct field it found last time.
    final class MemberStep {
        let name: String
        let location: SourceLocation
        /// The last struct type seen (its identity, which does not keep it alive) and where the
        /// field is in it.
        var typeIdentity = 0
        var index = 0
        /// The field's declared type, when it has one.
        var check: TypeCheck?
        /// The same, as the place follows it (made once).
        var leaf: DeclaredLeaf?
        /// Whether a change that checks what it stores (`checksLeaf`) reaches a declared type
        /// along the steps after this one, so that the field need not be checked as a whole
        /// (nor kept to be restored when that check fails).
        var leafReached = false

        init(name: String, location: SourceLocation) {
            self.name = name
            self.location = location
        }
    }

    /// A `[indices]` step.
    final class IndexStep {
        let evaluators: [EvaluatorBox]
        let labels: [String?]
        let location: SourceLocation

        init(evaluators: [EvaluatorBox], labels: [String?], location: SourceLocation) {
            self.evaluators = evaluators
            self.labels = labels
            self.location = location
        }
    }

    let root: VariableRef
    let rootName: String
    let rootIsLet: Bool
    /// The type the root variable was declared with, which assignments to it keep.
    let rootType: DeclaredType?
    let steps: [Step]
    let site: SourceLocation
    let session: Session

    init(
        root: VariableRef, rootName: String, rootIsLet: Bool, rootType: DeclaredType? = nil,
        steps: [Step], site: SourceLocation, session: Session
    ) {
        self.root = root
        self.rootName = rootName
        self.rootIsLet = rootIsLet
        self.rootType = rootType
        self.steps = steps
        self.site = site
        self.session = session
        var root: DeclaredLeaf?
        if case .declared(let check) = rootType {
            root = DeclaredLeaf(owner: rootName, isProperty: false, spec: check.spec)
        }
        rootLeaf = root
        lastUnwrap = steps.lastIndex { step in
            if case .unwrap = step { return true }
            return false
        }
        var leaf = root
        for step in steps { leaf = leaf?.along(step) }
        elementCheck = steps.isEmpty ? nil : leaf.map(ElementCheck.init)
        followsDeclaredTypes =
            root != nil
            || steps.contains { step in
                if case .member = step { return true }
                return false
            }
    }

    /// Whether a declared type may apply somewhere along the place (the root variable's, or
    /// a struct property's): else `modify` changes it without following types.
    let followsDeclaredTypes: Bool

    /// The position of the last `?` among the steps.
    let lastUnwrap: Int?
    /// The declared type of the root variable, where the steps start.
    let rootLeaf: DeclaredLeaf?
    /// The check of the declared type of what the steps reach (`xs[i]` of `var xs: [Int]`),
    /// made once for the compiler's fast path, which takes every index to be one element (not
    /// a range) and has no member steps; nil without steps or when the type is unknown.
    let elementCheck: ElementCheck?

    /// Reads the current value.
    func read(_ frame: Frame) throws(Failure) -> Value {
        var value = try readRoot(frame)
        for step in steps {
            switch step {
            case .member(let step):
                value = try session.member(step.name, of: value, at: step.location)
            case .index(let step):
                var values: [Value] = []
                for evaluate in step.evaluators { values.append(try evaluate.call(frame)) }
                var list = CallArguments(values, labels: step.labels, site: step.location)
                value = try session.subscriptValue(value, &list)
            case .unwrap:
                if value.isNil { throw Failure.optionalChainExit }
            case .forceUnwrap(let location):
                if value.isNil { throw Place.unexpectedNil(at: location) }
            }
        }
        return value
    }

    /// Reads the current value with the subscript indices already evaluated (one list per
    /// index step, in order, as `evaluateIndices(_:)` gives them).
    func read(_ frame: Frame, indexValues: [[Value]]) throws(Failure) -> Value {
        var value = try readRoot(frame)
        var indexPosition = 0
        for step in steps {
            switch step {
            case .member(let step):
                value = try session.member(step.name, of: value, at: step.location)
            case .index(let step):
                var list = CallArguments(
                    indexValues[indexPosition], labels: step.labels, site: step.location)
                indexPosition += 1
                value = try session.subscriptValue(value, &list)
            case .unwrap:
                if value.isNil { throw Failure.optionalChainExit }
            case .forceUnwrap(let location):
                if value.isNil { throw Place.unexpectedNil(at: location) }
            }
        }
        return value
    }

    /// Whether `evaluateIndices(_:)` has anything to do: an index to evaluate, or a `?` to
    /// stop at.
    var evaluatesIndices: Bool {
        lastUnwrap != nil
            || steps.contains { step in
                if case .index = step { return true }
                return false
            }
    }

    /// The value of the root variable, where the steps start.
    func readRoot(_ frame: Frame) throws(Failure) -> Value {
        switch root {
        case .local(let slot): return frame[slot]
        case .boxed(let index): return frame.box(index).value
        case .capture(let index): return frame.capture(index).value
        case .ownFunction(let reference): return reference.function(in: frame)
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
        // A struct's static properties belong to the type, not to the constant naming it
        // (whether each may change is checked when it changes).
        if case .member = steps.first, case .type(.structure) = try readRoot(frame) {
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
        try modify(frame, indexValues: try evaluateIndices(frame), body)
    }

    // MARK: - Changing without following declared types

    /// Changes the value in place through `body`, with the subscript indices already evaluated
    /// (one list per index step, in order).
    ///
    /// Declared types are not followed (the places of a struct's properties still check the
    /// property as a whole afterwards); `modifyDeclared` follows them.
    func modify(
        _ frame: Frame, indexValues: [[Value]], _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        switch root {
        case .local(let slot):
            var value = frame.take(slot)
            defer { frame[slot] = value }
            try applyUntracked(&value, indexValues, body)
        case .boxed(let index):
            try modifyUntracked(frame.box(index), indexValues, body)
        case .capture(let index):
            try modifyUntracked(frame.capture(index), indexValues, body)
        case .ownFunction(let reference):
            // A constant (the compiler refuses to change it): the change is not kept.
            var value = reference.function(in: frame)
            try applyUntracked(&value, indexValues, body)
        case .global(let address, let name):
            guard var value = address.pointee else { throw session.undefinedName(name, at: site) }
            address.pointee = .void
            defer { address.pointee = value }
            try applyUntracked(&value, indexValues, body)
        }
    }

    private func modifyUntracked(
        _ box: Box, _ indexValues: [[Value]], _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        var value = box.value
        box.value = .void
        defer { box.value = value }
        try applyUntracked(&value, indexValues, body)
    }

    /// Applies every step, without following declared types (`apply` with `follows` false).
    private func applyUntracked(
        _ value: inout Value, _ indexValues: [[Value]],
        _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        _ = try apply(&value, 0, 0, indexValues, nil, false, follows: false) {
            inner, _ throws(Failure) in
            try body(&inner)
            return false
        }
    }

    /// The error for `x!` on nil, as an expression reports it.
    static func unexpectedNil(at location: SourceLocation) -> Failure {
        Failure(
            .unexpectedNil("unexpectedly found nil while unwrapping an optional with '!'"),
            at: location)
    }
}
