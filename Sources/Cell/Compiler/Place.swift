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
        var leaf: TypeSpec?
        if case .declared(let check) = rootType, !steps.isEmpty {
            leaf = check.spec
            for step in steps { leaf = leaf?.along(step) }
        }
        leafSpec = leaf.flatMap { $0.holdsDoubles ? $0 : nil }
    }

    /// The declared type of what the steps reach (`xs[i]` of `var xs: [Double]`), when it holds
    /// Doubles that integers stored there must become.
    let leafSpec: TypeSpec?

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

    private func readRoot(_ frame: Frame) throws(Failure) -> Value {
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

    /// The subscript indices, evaluated left to right: one list per index step, in order, as
    /// `modify(_:indexValues:_:)` takes them.
    func evaluateIndices(_ frame: Frame) throws(Failure) -> [[Value]] {
        var indexValues: [[Value]] = []
        for step in steps {
            if case .index(let index) = step {
                var values: [Value] = []
                for evaluate in index.evaluators { values.append(try evaluate.call(frame)) }
                indexValues.append(values)
            }
        }
        return indexValues
    }

    /// Changes the value in place through `body`, with the subscript indices already evaluated
    /// (one list per index step, in order).
    func modify(
        _ frame: Frame, indexValues: [[Value]], _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        switch root {
        case .local(let slot):
            var value = frame.take(slot)
            defer { frame[slot] = value }
            try apply(&value, 0, 0, indexValues, body)
        case .boxed(let index):
            try modify(frame.box(index), indexValues, body)
        case .capture(let index):
            try modify(frame.capture(index), indexValues, body)
        case .ownFunction(let reference):
            // A constant (the compiler refuses to change it): the change is not kept.
            var value = reference.function(in: frame)
            try apply(&value, 0, 0, indexValues, body)
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
        case .member(let cache):
            if case .structure(let shared) = value, shared.type.identity == cache.typeIdentity {
                // A stored `var` property of a struct seen before: change the field in place.
                let index = cache.index
                value = .void
                var instance = consume shared
                if !isKnownUniquelyReferenced(&instance) { instance = instance.copy() }
                var field = instance.take(index)
                defer {
                    instance[index] = field
                    value = .structure(instance)
                }
                try apply(&field, position + 1, indexPosition, indexValues, body)
                if let check = cache.check {
                    field = try session.check(field, check, at: cache.location) { newValue in
                        "cannot assign a value of type \(newValue.typeName) to property "
                            + "'\(cache.name)' of type \(check.spec.description)"
                    }
                }
                return
            }
            if case .structure(let instance) = value,
                let index = instance.type.propertyIndex[cache.name],
                !instance.type.storedProperties[index].isLet
            {
                cache.typeIdentity = instance.type.identity
                cache.index = index
                cache.check = instance.type.storedProperties[index].spec.map(TypeCheck.init)
            }
            try session.modifyMember(cache.name, of: &value, at: cache.location) {
                inner throws(Failure) in
                try apply(&inner, position + 1, indexPosition, indexValues, body)
            }
        case .index(let step):
            var list = CallArguments(
                indexValues[indexPosition], labels: step.labels, site: step.location)
            try session.modifySubscript(&value, &list) { inner throws(Failure) in
                try apply(&inner, position + 1, indexPosition + 1, indexValues, body)
            }
        case .unwrap:
            if value.isNil { throw Failure.optionalChainExit }
            try apply(&value, position + 1, indexPosition, indexValues, body)
        case .forceUnwrap(let location):
            if value.isNil { throw Place.unexpectedNil(at: location) }
            try apply(&value, position + 1, indexPosition, indexValues, body)
        }
    }

    /// The error for `x!` on nil, as an expression reports it.
    static func unexpectedNil(at location: SourceLocation) -> Failure {
        Failure(
            .unexpectedNil("unexpectedly found nil while unwrapping an optional with '!'"),
            at: location)
    }
}
