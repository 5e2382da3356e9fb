/// Following the declared types along a place: the indices evaluated before a change (up to
/// the last `?`), the checks made before storing, and changes that keep the declared type of
/// what they reach.
extension Place {
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
                if let stored = value.storedMember(step.name) {
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
            _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, follows: true, body)
        case .boxed(let index):
            try modify(frame.box(index), indexValues, leaf, checksLeaf, body)
        case .capture(let index):
            try modify(frame.capture(index), indexValues, leaf, checksLeaf, body)
        case .ownFunction(let reference):
            // A constant (the compiler refuses to change it): the change is not kept.
            var value = reference.function(in: frame)
            _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, follows: true, body)
        case .global(let address, let name):
            guard var value = address.pointee else { throw session.undefinedName(name, at: site) }
            address.pointee = .void
            defer { address.pointee = value }
            _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, follows: true, body)
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
        _ = try apply(&value, 0, 0, indexValues, leaf, checksLeaf, follows: true, body)
    }

    /// Applies the steps from `position` on; returns whether `body` was given a declared type
    /// to check (and `checksLeaf` says it checks it). Unless `follows`, declared types are not
    /// followed into struct properties (`leaf` nil stays nil; each property is still checked
    /// as a whole after the change).
    func apply(
        _ value: inout Value, _ position: Int, _ indexPosition: Int, _ indexValues: [[Value]],
        _ leaf: DeclaredLeaf?, _ checksLeaf: Bool, follows: Bool,
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
                    &field, position + 1, indexPosition, indexValues,
                    follows ? cache.leaf : nil, checksLeaf, follows: follows, body)
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
                fieldLeaf = follows ? cache.leaf : nil
            }
            var checked = false
            try session.modifyMember(cache.name, of: &value, at: cache.location) {
                inner throws(Failure) in
                checked = try apply(
                    &inner, position + 1, indexPosition, indexValues, fieldLeaf, checksLeaf,
                    follows: follows, body)
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
                    follows: follows, body)
            }
            return checked
        case .unwrap:
            if value.isNil { throw Failure.optionalChainExit }
            return try apply(
                &value, position + 1, indexPosition, indexValues, leaf?.unwrapped, checksLeaf,
                follows: follows, body)
        case .forceUnwrap(let location):
            if value.isNil { throw Place.unexpectedNil(at: location) }
            return try apply(
                &value, position + 1, indexPosition, indexValues, leaf?.unwrapped, checksLeaf,
                follows: follows, body)
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
}
