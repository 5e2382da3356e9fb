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
    ///
    /// With a `?` among the steps, the value is followed up to the last one as it goes, as in
    /// Swift: at nil the chain ends there (`Failure.optionalChainExit`), before the indices
    /// after it, and the assigned value, are evaluated (`d["missing"]?[f()] = g()` calls
    /// neither). It is followed only through stored properties, tuple elements, arrays and
    /// dictionaries, whose reading runs no cell code: past a computed property or a library
    /// type's subscript, which the change itself reads once more, the indices are all
    /// evaluated and the nil check is left to the change.
    func evaluateIndices(_ frame: Frame) throws(Failure) -> [[Value]] {
        if let lastUnwrap { return try evaluateIndices(frame, followingTo: lastUnwrap) }
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

    private func evaluateIndices(_ frame: Frame, followingTo last: Int) throws(Failure)
        -> [[Value]]
    {
        var indexValues: [[Value]] = []
        var value = try readRoot(frame)
        var following = true
        for (position, step) in steps.enumerated() {
            let follows = following && position < last
            switch step {
            case .member(let step):
                guard follows else { break }
                if let stored = Place.storedMember(step.name, of: value) {
                    value = stored
                } else {
                    following = false
                }
            case .index(let step):
                var values: [Value] = []
                for evaluate in step.evaluators { values.append(try evaluate.call(frame)) }
                if follows {
                    switch value {
                    case .array, .dictionary:
                        var list = CallArguments(values, labels: step.labels, site: step.location)
                        value = try session.subscriptValue(value, &list)
                    default: following = false
                    }
                }
                indexValues.append(values)
            case .unwrap:
                if following, position <= last, value.isNil { throw Failure.optionalChainExit }
            case .forceUnwrap(let location):
                if follows, value.isNil { throw Place.unexpectedNil(at: location) }
            }
        }
        return indexValues
    }

    /// Reports the error that storing `newValue` here would (an index out of range, nil
    /// before a `!`, a value of another type than declared) before anything is stored, as far
    /// as it can be found without running cell code: past a member or a library type's
    /// subscript, only the value's type is checked if known, and nothing past a member.
    func checkBeforeStoring(
        _ newValue: Value, _ frame: Frame, indexValues: [[Value]], at site: SourceLocation
    ) throws(Failure) {
        var current: Value? = try readRoot(frame)
        var leaf = rootLeaf
        var indexPosition = 0
        for step in steps {
            switch step {
            case .member:
                return
            case .index(let step):
                let indices = indexValues[indexPosition]
                indexPosition += 1
                if let container = current {
                    leaf = leaf?.along(indices, labels: step.labels, in: container)
                    switch container {
                    case .array, .dictionary:
                        var list = CallArguments(indices, labels: step.labels, site: step.location)
                        current = try session.subscriptValue(container, &list)
                    default:
                        current = nil
                    }
                } else {
                    leaf = nil
                }
            case .unwrap:
                // A nil ends the chain, which then stores nothing.
                if current?.isNil == true { return }
                leaf = leaf?.unwrapped
            case .forceUnwrap(let location):
                if current?.isNil == true { throw Place.unexpectedNil(at: location) }
                leaf = leaf?.unwrapped
            }
        }
        if let leaf { _ = try leaf.check(newValue, session, at: site) }
    }

    /// A struct's stored property or a tuple's element, read without running cell code; nil
    /// for anything else (a computed property, a library type's member).
    private static func storedMember(_ name: String, of value: Value) -> Value? {
        switch value {
        case .structure(let instance):
            guard let index = instance.type.propertyIndex[name] else { return nil }
            return instance[index]
        case .tuple(let tuple):
            if let position = Int(name), position >= 0, position < tuple.elements.count {
                return tuple.elements[position]
            }
            return tuple.element(labelled: name)
        default: return nil
        }
    }

    /// Changes the value in place through `body`, which is given the declared type of what the
    /// place reaches (nil when unknown) with the indices of the actual values (`a[0..<2]` of a
    /// `[Int]` is an `[Int]`, `a[0]` an Int; a struct's property has its own declared type).
    ///
    /// `body` returns whether it checked what it stores against that type, so that a struct
    /// property on the way need not be checked as a whole afterwards.
    ///
    /// - Parameter checksLeaf: whether `body` may check it (else a struct property on the way
    ///   is kept before the change, to be restored if its check as a whole fails).
    func modifyDeclared(
        _ frame: Frame, indexValues: [[Value]], checksLeaf: Bool,
        _ body: (inout Value, DeclaredLeaf?) throws(Failure) -> Bool
    ) throws(Failure) {
        let leaf = rootLeaf
        switch root {
        case .local(let slot):
            var value = frame.take(slot)
            defer { frame[slot] = value }
            _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, body)
        case .boxed(let index):
            try modify(frame.box(index), indexValues, leaf, checksLeaf, body)
        case .capture(let index):
            try modify(frame.capture(index), indexValues, leaf, checksLeaf, body)
        case .ownFunction(let reference):
            // A constant (the compiler refuses to change it): the change is not kept.
            var value = reference.function(in: frame)
            _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, body)
        case .global(let address, let name):
            guard var value = address.pointee else { throw session.undefinedName(name, at: site) }
            address.pointee = .void
            defer { address.pointee = value }
            _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, body)
        }
    }

    /// Stores `operand` at the place (combined with the current value by `compound` when
    /// given), checked against the declared type of what the place reaches: a value of another
    /// type is an error that changes nothing.
    func assign(
        _ frame: Frame, indexValues: [[Value]], _ operand: Value, _ compound: BinaryOperator?,
        fast: Bool, at site: SourceLocation
    ) throws(Failure) {
        let session = self.session
        try modifyDeclared(frame, indexValues: indexValues, checksLeaf: true) {
            current, leaf throws(Failure) in
            try Compiler.assign(
                operand, to: &current, compound, leaf: leaf, fast: fast, session: session,
                at: site)
            return true
        }
    }

    private func modify(
        _ box: Box, _ indexValues: [[Value]], _ leaf: DeclaredLeaf?, _ checksLeaf: Bool,
        _ body: (inout Value, DeclaredLeaf?) throws(Failure) -> Bool
    ) throws(Failure) {
        var value = box.value
        box.value = .void
        defer { box.value = value }
        _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, body)
    }

    /// Applies the steps from `position` on; returns whether `body` was given a declared type
    /// to check (and `checksLeaf` says it checks it).
    private func apply(
        _ value: inout Value, _ position: Int, _ indexPosition: Int, _ indexValues: [[Value]],
        _ leaf: DeclaredLeaf?, _ checksLeaf: Bool,
        _ body: (inout Value, DeclaredLeaf?) throws(Failure) -> Bool
    ) throws(Failure) -> Bool {
        guard position < steps.count else {
            let checked = try body(&value, leaf)
            return checked && leaf != nil
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
                // Kept when the field will be checked as a whole, to be restored if that check
                // fails (a copy, as the check itself reads every element).
                let original =
                    cache.check != nil && !(checksLeaf && cache.leafReached) ? field : nil
                let checked = try apply(
                    &field, position + 1, indexPosition, indexValues, cache.leaf, checksLeaf, body)
                if let check = cache.check, !checked {
                    do throws(Failure) {
                        field = try session.check(field, check, at: cache.location) { newValue in
                            "cannot assign a value of type \(newValue.typeName) to property "
                                + "'\(cache.name)' of type \(check.spec.description)"
                        }
                    } catch {
                        if let original { field = original }
                        throw error
                    }
                }
                return checked
            }
            var fieldLeaf: DeclaredLeaf?
            if case .structure(let instance) = value,
                let index = instance.type.propertyIndex[cache.name],
                !instance.type.storedProperties[index].isLet
            {
                cache.typeIdentity = instance.type.identity
                cache.index = index
                let spec = instance.type.storedProperties[index].spec
                cache.check = spec.map(TypeCheck.init)
                cache.leaf = spec.map {
                    DeclaredLeaf(owner: cache.name, isProperty: true, spec: $0)
                }
                cache.leafReached = leafReached(from: cache.leaf, after: position)
                fieldLeaf = cache.leaf
            }
            var checked = false
            try session.modifyMember(cache.name, of: &value, at: cache.location) {
                inner throws(Failure) in
                checked = try apply(
                    &inner, position + 1, indexPosition, indexValues, fieldLeaf, checksLeaf, body)
            }
            return checked
        case .index(let step):
            let indices = indexValues[indexPosition]
            let innerLeaf = leaf?.along(indices, labels: step.labels, in: value)
            var list = CallArguments(indices, labels: step.labels, site: step.location)
            var checked = false
            try session.modifySubscript(&value, &list) { inner throws(Failure) in
                checked = try apply(
                    &inner, position + 1, indexPosition + 1, indexValues, innerLeaf, checksLeaf,
                    body)
            }
            return checked
        case .unwrap:
            if value.isNil { throw Failure.optionalChainExit }
            return try apply(
                &value, position + 1, indexPosition, indexValues, leaf?.unwrapped, checksLeaf, body)
        case .forceUnwrap(let location):
            if value.isNil { throw Place.unexpectedNil(at: location) }
            return try apply(
                &value, position + 1, indexPosition, indexValues, leaf?.unwrapped, checksLeaf, body)
        }
    }

    /// Whether the declared type `leaf` of the field a member step at `position` reaches is
    /// followed to the end of the steps. A later member step of a struct (a nominal type,
    /// which changing a member keeps) has its own check; one of a tuple has none.
    private func leafReached(from leaf: DeclaredLeaf?, after position: Int) -> Bool {
        var leaf = leaf
        for step in steps[(position + 1)...] {
            if case .member = step {
                switch leaf?.spec {
                case .named?, .any?: return true
                default: return false
                }
            }
            leaf = leaf?.along(step)
        }
        return leaf != nil
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
            try applyUntracked(&value, 0, 0, indexValues, body)
        case .boxed(let index):
            try modifyUntracked(frame.box(index), indexValues, body)
        case .capture(let index):
            try modifyUntracked(frame.capture(index), indexValues, body)
        case .ownFunction(let reference):
            // A constant (the compiler refuses to change it): the change is not kept.
            var value = reference.function(in: frame)
            try applyUntracked(&value, 0, 0, indexValues, body)
        case .global(let address, let name):
            guard var value = address.pointee else { throw session.undefinedName(name, at: site) }
            address.pointee = .void
            defer { address.pointee = value }
            try applyUntracked(&value, 0, 0, indexValues, body)
        }
    }

    private func modifyUntracked(
        _ box: Box, _ indexValues: [[Value]], _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        var value = box.value
        box.value = .void
        defer { box.value = value }
        try applyUntracked(&value, 0, 0, indexValues, body)
    }

    private func applyUntracked(
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
                // Kept to be restored if the check of the field as a whole fails.
                let original = cache.check != nil ? field : nil
                try applyUntracked(&field, position + 1, indexPosition, indexValues, body)
                if let check = cache.check {
                    do throws(Failure) {
                        field = try session.check(field, check, at: cache.location) { newValue in
                            "cannot assign a value of type \(newValue.typeName) to property "
                                + "'\(cache.name)' of type \(check.spec.description)"
                        }
                    } catch {
                        if let original { field = original }
                        throw error
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
                try applyUntracked(&inner, position + 1, indexPosition, indexValues, body)
            }
        case .index(let step):
            var list = CallArguments(
                indexValues[indexPosition], labels: step.labels, site: step.location)
            try session.modifySubscript(&value, &list) { inner throws(Failure) in
                try applyUntracked(&inner, position + 1, indexPosition + 1, indexValues, body)
            }
        case .unwrap:
            if value.isNil { throw Failure.optionalChainExit }
            try applyUntracked(&value, position + 1, indexPosition, indexValues, body)
        case .forceUnwrap(let location):
            if value.isNil { throw Place.unexpectedNil(at: location) }
            try applyUntracked(&value, position + 1, indexPosition, indexValues, body)
        }
    }

    /// The error for `x!` on nil, as an expression reports it.
    static func unexpectedNil(at location: SourceLocation) -> Failure {
        Failure(
            .unexpectedNil("unexpectedly found nil while unwrapping an optional with '!'"),
            at: location)
    }
}
