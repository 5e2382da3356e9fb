/// Reading, declaring and storing variables, and binding patterns.
extension Compiler {
    // MARK: - Access by resolved location

    /// Reads a variable.
    func reader(_ ref: VariableRef, range: SourceRange) -> Evaluator {
        switch ref {
        case .local(let slot):
            return { frame throws(Failure) in frame[slot] }
        case .boxed(let index):
            return { frame throws(Failure) in frame.box(index).value }
        case .capture(let index):
            return { frame throws(Failure) in frame.capture(index).value }
        case .ownFunction(let reference):
            return { frame throws(Failure) in reference.function(in: frame) }
        case .global(let address, let name):
            let site = location(range)
            let session = self.session
            return { frame throws(Failure) in
                if let value = address.pointee { return value }
                throw session.undefinedName(name, at: site)
            }
        }
    }

    /// Stores a value into an existing variable.
    func assignmentStorer(_ ref: VariableRef) -> Binder {
        switch ref {
        // The replaced value is released through ValueTeardown (it may be nested deeply).
        case .local(let slot):
            return { frame, value throws(Failure) in frame.replace(slot, with: value) }
        case .boxed(let index):
            return { frame, value throws(Failure) in Compiler.replace(frame.box(index), with: value)
            }
        case .capture(let index):
            return { frame, value throws(Failure) in
                Compiler.replace(frame.capture(index), with: value)
            }
        case .global(let address, _):
            return { _, value throws(Failure) in Compiler.replace(address, with: value) }
        case .ownFunction:
            // A function's name is a constant: the compiler reports any assignment to it.
            return { _, _ throws(Failure) in }
        }
    }

    /// Stores `value` in a global and releases the value it replaces through `ValueTeardown`.
    @inline(__always)
    static func replace(_ address: UnsafeMutablePointer<Value?>, with value: Value) {
        var old = address.pointee ?? .void
        address.pointee = value
        ValueTeardown.release(&old)
    }

    /// Stores `value` in a box and releases the value it replaces through `ValueTeardown`.
    @inline(__always)
    static func replace(_ box: Box, with value: Value) {
        var old = box.value
        box.value = value
        ValueTeardown.release(&old)
    }

    /// Stores the initial value of a variable being declared (a boxed variable gets a new box,
    /// so closures made in earlier loop iterations keep theirs, unless its box is still
    /// pending: local functions made before the declaration captured that one).
    func declarationStorer(_ ref: VariableRef) -> Binder {
        if case .boxed(let index) = ref {
            return { frame, value throws(Failure) in frame.context.declare(index, value) }
        }
        return assignmentStorer(ref)
    }

    /// Declares `name` where a declaration at this point belongs: a global at the top level of
    /// a cell, otherwise a local.
    func declare(
        _ name: String, isLet: Bool, forceLocal: Bool = false, type: DeclaredType? = nil
    ) -> VariableRef {
        if context.declaresGlobals, !forceLocal {
            session.globals.setMutability(of: name, isLet: isLet, type: type)
            return .global(session.globals.entry(for: name).address, name: name)
        }
        return context.declareLocal(name, isLet: isLet, type: type)
    }

    // MARK: - Name resolution

    /// Where an unqualified name lives: a local, a capture, or a global (created undefined if
    /// it does not exist yet, so later cells can define it).
    func resolve(_ name: String) -> (ref: VariableRef, isLet: Bool, type: DeclaredType?) {
        if let local = context.resolveLocal(name) { return (local.ref, local.isLet, local.type) }
        let entry = session.globals.entry(for: name)
        return (.global(entry.address, name: name), entry.isLet, entry.type)
    }

    // MARK: - Binding patterns

    /// Compiles `let`/`var`/`for` patterns: names, `_` and tuples. A plain name declared with
    /// a `type` keeps it for later assignments.
    func compileBindingPattern(
        _ pattern: Pattern, isLet: Bool, forceLocal: Bool = false, type: DeclaredType? = nil
    ) -> Binder {
        let site = location(pattern.range)
        switch pattern.kind {
        case .name(let name):
            return declarationStorer(
                declare(name, isLet: isLet, forceLocal: forceLocal, type: isLet ? nil : type))
        case .wildcard:
            return Compiler.ignoreBinding
        case .tuple(let elements):
            let binders = elements.map {
                BinderBox(call: compileBindingPattern($0, isLet: isLet, forceLocal: forceLocal))
            }
            return { frame, value throws(Failure) in
                guard case .tuple(let tuple) = value, tuple.elements.count == binders.count else {
                    throw Failure(
                        .typeMismatch(
                            "cannot destructure a value of type \(value.typeName) into "
                                + "\(binders.count) names; it needs a tuple of \(binders.count) "
                                + "elements"), at: site)
                }
                for (binder, element) in zip(binders, tuple.elements) {
                    try binder.call(frame, element)
                }
            }
        case .binding(_, let inner):
            return compileBindingPattern(inner, isLet: isLet, forceLocal: forceLocal)
        case .expression, .isType, .optional:
            problem(
                .invalidValue("this pattern cannot be used in a declaration"), at: pattern.range)
            return Compiler.ignoreBinding
        }
    }

    // MARK: - Case patterns

    /// Compiles a `case` pattern: values and ranges match by `==` / containment, `let` binds.
    func compileCasePattern(_ pattern: Pattern) -> Matcher {
        let site = location(pattern.range)
        switch pattern.kind {
        case .wildcard:
            return { frame, value throws(Failure) in true }
        case .binding(let isVar, let inner):
            let bind = compileBindingPattern(inner, isLet: !isVar, forceLocal: true)
            return { frame, value throws(Failure) in
                try bind(frame, value)
                return true
            }
        case .name(let name):
            let ref = context.declareLocal(name, isLet: true)
            let store = declarationStorer(ref)
            return { frame, value throws(Failure) in
                try store(frame, value)
                return true
            }
        case .tuple(let elements):
            let matchers = elements.map { MatcherBox(call: compileCasePattern($0)) }
            return { frame, value throws(Failure) in
                guard case .tuple(let tuple) = value, tuple.elements.count == matchers.count else {
                    return false
                }
                for (matcher, element) in zip(matchers, tuple.elements)
                where try !matcher.call(frame, element) {
                    return false
                }
                return true
            }
        case .optional(let inner):
            let matcher = compileCasePattern(inner)
            return { frame, value throws(Failure) in
                value.isNil ? false : try matcher(frame, value)
            }
        case .isType(let type):
            let spec = TypeSpec(type)
            let session = self.session
            return { _, value throws(Failure) in session.matches(value, spec) }
        case .expression(let expression):
            let evaluate = compileExpression(expression)
            let session = self.session
            return { frame, value throws(Failure) in
                let candidate = try evaluate(frame)
                return try session.patternMatches(candidate, value, at: site)
            }
        }
    }
}

extension Session {
    /// Swift's `~=`: a range matches the values it contains, anything else matches by `==`.
    func patternMatches(_ pattern: Value, _ value: Value, at site: SourceLocation) throws(Failure)
        -> Bool
    {
        if case .range(let range) = pattern, range.step == nil {
            if let number = value.numberValue {
                if let lower = range.lower?.numberValue, number < lower { return false }
                if let upper = range.upper?.numberValue {
                    return range.isClosed ? number <= upper : number < upper
                }
                return true
            }
            if case .range = value { return pattern == value }
            return false
        }
        if case .function(let implicit as ImplicitMember) = pattern {
            let resolved = try resolveImplicit(implicit, in: value.typeName, site: site)
            return resolved == value
        }
        if let a = pattern.numberValue, let b = value.numberValue { return a == b }
        return pattern == value
    }

    /// The error for reading a name that is not defined, with a suggestion.
    func undefinedName(_ name: String, at site: SourceLocation?) -> Failure {
        Failure(
            .undefinedName(
                name, suggestion: Suggestion.closest(to: name, in: globals.definedNames)),
            at: site)
    }
}
