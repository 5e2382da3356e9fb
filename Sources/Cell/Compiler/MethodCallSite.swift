/// One compiled `receiver.name(arguments)` call site. It remembers how it resolved the method
/// for the last receiver type (the registry method and how the site's labels bind to it, or
/// the user method), so a loop calling `xs.append(i)` looks nothing up by name after the
/// first iteration. The resolution is dropped when the session's methods change.
final class MethodCallSite {
    private enum Target {
        case unresolved
        /// A registered method and the argument assignment for this site's labels.
        case registry(Method, [ArgumentBinder.Slot])
        /// A user method; `direct` when the site's labels let arguments go straight to slots.
        /// Held weakly: a recursive method's call site lives in the method's own code.
        case user(WeakFunction, direct: Bool)
        /// Anything else (overloads chosen by type, properties holding closures, errors).
        case general
        /// `xs.append(x)` on an array variable: done here, without the registry's machinery.
        case appendToArray
    }

    let name: String
    let labels: [String?]
    let trailingClosureCount: Int
    let site: SourceLocation
    let callerName: String
    let session: Session
    let place: Place?
    let base: EvaluatorBox?
    let cacheable: Bool
    private var key: ObjectIdentifier?
    private var generation = -1
    private var target = Target.unresolved

    init(
        name: String, labels: [String?], trailingClosureCount: Int, site: SourceLocation,
        callerName: String, session: Session, place: Place?, base: EvaluatorBox?, cacheable: Bool
    ) {
        self.name = name
        self.labels = labels
        self.trailingClosureCount = trailingClosureCount
        self.site = site
        self.callerName = callerName
        self.session = session
        self.place = place
        self.base = base
        self.cacheable = cacheable
        if let place, place.steps.isEmpty, let root = place.rootLeaf,
            let added = MethodCallSite.addedElement(root, name, labels)
        {
            appendCheck = ElementCheck(added)
        } else {
            appendCheck = nil
        }
    }

    /// For `xs.append(x)` on a variable declared as an array: the check of `x`, made once.
    private let appendCheck: ElementCheck?

    /// Calls the method with evaluated arguments and the receiver place's subscript indices
    /// (`Place.evaluateIndices`, evaluated once, before the arguments); returns the result and
    /// the arguments (whose `inout` values the caller writes back).
    func call(_ frame: Frame, values: [Value], indexValues: [[Value]]) throws(Failure) -> (
        result: Value, arguments: CallArguments?
    ) {
        try dispatch(frame, values: values, indexValues: indexValues)
    }

    /// `values` with the elements a mutating method adds to a collection declared as `leaf`
    /// checked against its element type (`xs.append(1)` on a `var xs: [Double]` appends 1.0,
    /// as Swift types the literal; `xs.append("a")` on a `[Int]` is an error), and whether the
    /// method keeps the declared type with them (it adds only checked elements, or only
    /// removes or reorders).
    private func checkingNewElements(_ values: [Value], _ leaf: DeclaredLeaf?) throws(Failure)
        -> (values: [Value], checked: Bool)
    {
        guard let leaf, var first = values.first,
            let added = MethodCallSite.addedElement(leaf, name, labels)
        else {
            return (values, MethodCallSite.onlyRemovesOrReorders(name))
        }
        if name == "append", labels.first == "contentsOf" {
            // `append(contentsOf:)` with another sequence (a range, a string, a set): its
            // elements, as an array; anything else is left to the method to refuse.
            if case .array = first {
            } else {
                do throws(Failure) {
                    first = .array(try session.elements(of: first))
                } catch {
                    return (values, false)
                }
            }
        }
        var checked = values
        checked[0] = try added.check(first, session, at: site)
        return (checked, true)
    }

    /// Whether the method `name` may keep a declared collection type with the elements it adds
    /// checked (`checkingNewElements(_:_:)`), or adds none.
    private static func keepsDeclaredType(_ name: String, _ labels: [String?]) -> Bool {
        switch (name, labels.first ?? nil) {
        case ("append", nil), ("append", "contentsOf"), ("insert", nil), ("updateValue", nil):
            return true
        default:
            return onlyRemovesOrReorders(name)
        }
    }

    /// Whether the mutating method `name` only removes or reorders elements.
    private static func onlyRemovesOrReorders(_ name: String) -> Bool {
        switch name {
        case "removeLast", "removeFirst", "remove", "removeAll", "removeValue", "removeSubrange",
            "popLast", "popFirst", "sort", "reverse", "shuffle", "swapAt":
            return true
        default:
            return false
        }
    }

    /// The declared type of what the method `name` adds to a collection declared as `leaf`
    /// with its first argument (an element for `append(_:)`, `insert(_:at:)` and
    /// `updateValue(_:forKey:)`, an array for `append(contentsOf:)`), or nil when it adds
    /// nothing checked.
    private static func addedElement(_ leaf: DeclaredLeaf, _ name: String, _ labels: [String?])
        -> DeclaredLeaf?
    {
        switch (leaf.spec, name, labels.first ?? nil) {
        case (.array(let element), "append", nil), (.array(let element), "insert", nil):
            return leaf.element(element)
        case (.array, "append", "contentsOf"):
            return leaf.element(leaf.spec)
        case (.dictionary(_, let value), "updateValue", nil):
            return leaf.element(value)
        default:
            return nil
        }
    }

    private func dispatch(_ frame: Frame, values: [Value], indexValues: [[Value]]) throws(Failure)
        -> (
            result: Value, arguments: CallArguments?
        )
    {
        do throws(Failure) {
            var receiver: Value
            if let place {
                receiver = try place.read(frame, indexValues: indexValues)
            } else if let base {
                receiver = try base.call(frame)
            } else {
                receiver = .void
            }
            if cacheable {
                let key = session.dispatchKey(receiver)
                if key != self.key || generation != session.methodGeneration {
                    self.key = key
                    generation = session.methodGeneration
                    target = resolve(receiver)
                }
                switch target {
                case .appendToArray:
                    if case .array = receiver, let place {
                        receiver = .void
                        try appendInPlace(place, frame, values[0], indexValues)
                        return (.void, nil)
                    }
                    target = resolve(receiver)
                    return try dispatch(frame, values: values, indexValues: indexValues)
                case .registry(let method, let slots):
                    return (
                        try callRegistry(method, slots, &receiver, frame, values, indexValues), nil
                    )
                case .user(let held, let direct):
                    if let function = held.function {
                        return (
                            try callUser(function, direct, &receiver, frame, values, indexValues),
                            nil
                        )
                    }
                    // Freed since: resolved again on the next call, looked up by name now.
                    self.key = nil
                case .unresolved, .general:
                    break
                }
            }
            return try callGeneral(&receiver, frame, values, indexValues)
        } catch var failure {
            failure.passed(through: site, callee: name, caller: callerName)
            throw failure
        }
    }

    // MARK: - Resolution

    private func resolve(_ receiver: Value) -> Target {
        switch receiver {
        case .structure(let instance):
            let methods =
                instance.type.methods[name] ?? session.extensionMethods[instance.type.name]?[name]
            return userTarget(methods)
        case .type, .nilValue, .tuple, .function:
            return .general
        case .array where name == "append" && labels == [nil] && place != nil:
            return .appendToArray
        default:
            let info = session.typeInfo(of: receiver)
            let methods = name == "callAsFunction" ? info.callAsFunction : info.methods[name]
            guard let methods, !methods.isEmpty else {
                return userTarget(session.extensionMethods[session.extensionKey(receiver)]?[name])
            }
            var matches: [(Method, [ArgumentBinder.Slot])] = []
            for method in methods {
                if case .success(let slots) = method.signature.assignment(
                    labels: labels, trailingClosureCount: trailingClosureCount)
                {
                    matches.append((method, slots))
                }
            }
            guard matches.count == 1, let (method, slots) = matches.first else { return .general }
            return .registry(method, slots)
        }
    }

    private func userTarget(_ methods: [CellFunction]?) -> Target {
        guard let methods, methods.count == 1, let function = methods.first else { return .general }
        return .user(WeakFunction(function), direct: function.code.directLabels == labels)
    }

    // MARK: - Calls

    private func callRegistry(
        _ method: Method, _ slots: [ArgumentBinder.Slot], _ receiver: inout Value, _ frame: Frame,
        _ values: [Value], _ indexValues: [[Value]]
    ) throws(Failure) -> Value {
        guard method.isMutating else {
            let bound = try session.bind(values, slots: slots, to: method.signature, site: site)
            let arguments = Arguments(
                values: bound, session: session, signature: method.signature, location: site)
            return try session.invokeBody(method, &receiver, arguments, site: site)
        }
        receiver = .void
        let place = try mutablePlace(frame)
        var result = Value.void
        let session = self.session
        let site = self.site
        try modifyReceiver(place, frame, indexValues) { current, leaf throws(Failure) in
            let (values, checked) = try checkingNewElements(values, leaf)
            let bound = try session.bind(values, slots: slots, to: method.signature, site: site)
            let arguments = Arguments(
                values: bound, session: session, signature: method.signature, location: site)
            result = try session.invokeBody(method, &current, arguments, site: site)
            return checked
        }
        return result
    }

    private func callUser(
        _ function: CellFunction, _ direct: Bool, _ receiver: inout Value, _ frame: Frame,
        _ values: [Value], _ indexValues: [[Value]]
    ) throws(Failure) -> Value {
        guard function.code.isMutating else {
            return try session.callMethodBody(
                function, direct: direct, &receiver, values, labels: labels,
                trailingClosureCount: trailingClosureCount, site: site)
        }
        receiver = .void
        let place = try mutablePlace(frame)
        var result = Value.void
        try place.modify(frame, indexValues: indexValues) { current throws(Failure) in
            result = try session.callMethodBody(
                function, direct: direct, &current, values, labels: labels,
                trailingClosureCount: trailingClosureCount, site: site)
        }
        return result
    }

    /// `xs.append(x)`, with the memory budget checked when the storage grows.
    private func appendInPlace(
        _ place: Place, _ frame: Frame, _ element: Value, _ indexValues: [[Value]]
    ) throws(Failure) {
        _ = try mutablePlace(frame)
        guard place.followsDeclaredTypes, appendCheck == nil else {
            // No declared type, or the variable's own, checked here once.
            var element = element
            if let appendCheck, !appendCheck.matches(element) {
                element = try appendCheck.checked(element, session, at: site)
            }
            try place.modify(frame, indexValues: indexValues) { current throws(Failure) in
                try append(element, to: &current)
            }
            return
        }
        try place.modifyDeclared(frame, indexValues: indexValues, checksLeaf: true) {
            current, leaf throws(Failure) in
            var element = element
            var checked = false
            if let leaf, let added = MethodCallSite.addedElement(leaf, name, labels) {
                element = try added.check(element, session, at: site)
                checked = true
            }
            try append(element, to: &current)
            return checked
        }
    }

    /// Appends `element` to the array `current` in place, with the memory budget checked when
    /// the storage grows.
    @inline(__always)
    private func append(_ element: Value, to current: inout Value) throws(Failure) {
        guard case .array(var elements) = current else {
            throw Failure(.typeMismatch("expected an array, not \(current.typeName)"), at: site)
        }
        current = .void
        defer { current = .array(elements) }
        if elements.count == elements.capacity {
            let session = self.session
            try located(site) { () throws(CellError) in
                try session.memory.checkGrowth(
                    count: max(16, elements.count * 2), stride: MemoryLayout<Value>.stride)
            }
        }
        elements.append(element)
    }

    /// Changes the receiver in place through `body`, given the declared type of the receiver
    /// when one may apply (`Place.modifyDeclared`), else nil (`Place.modify`, which follows
    /// none).
    private func modifyReceiver(
        _ place: Place, _ frame: Frame, _ indexValues: [[Value]],
        _ body: (inout Value, DeclaredLeaf?) throws(Failure) -> Bool
    ) throws(Failure) {
        guard place.followsDeclaredTypes else {
            try place.modify(frame, indexValues: indexValues) { current throws(Failure) in
                _ = try body(&current, nil)
            }
            return
        }
        try place.modifyDeclared(
            frame, indexValues: indexValues,
            checksLeaf: MethodCallSite.keepsDeclaredType(name, labels), body)
    }

    /// The place a mutating method changes, or the error saying why it cannot.
    private func mutablePlace(_ frame: Frame) throws(Failure) -> Place {
        guard let place else {
            throw Failure(
                .immutable(
                    "cannot use mutating method '\(name)': the receiver is a temporary value; "
                        + "store it in a 'var' first"), at: site)
        }
        if let reason = try place.immutabilityReason(frame) {
            throw Failure(.immutable("cannot use mutating method '\(name)': \(reason)"), at: site)
        }
        return place
    }

    /// The uncached path: look the method up by name on every call.
    private func callGeneral(
        _ receiver: inout Value, _ frame: Frame, _ values: [Value], _ indexValues: [[Value]]
    ) throws(Failure) -> (result: Value, arguments: CallArguments) {
        var list = CallArguments(
            values, labels: labels, site: site, trailingClosureCount: trailingClosureCount)
        var result = Value.void
        if let place, session.methodMutates(receiver, name) {
            receiver = .void
            _ = try mutablePlace(frame)
            try modifyReceiver(place, frame, indexValues) { current, leaf throws(Failure) in
                let checked: Bool
                (list.values, checked) = try checkingNewElements(list.values, leaf)
                result = try session.callMethod(
                    on: &current, named: name, arguments: &list, mutability: .mutable)
                return checked
            }
        } else {
            let reason =
                place == nil
                ? "the receiver is a temporary value; store it in a 'var' first"
                : "the method cannot change its receiver"
            result = try session.callMethod(
                on: &receiver, named: name, arguments: &list, mutability: .immutable(reason))
        }
        return (result, list)
    }
}

/// A user method a call site remembers without keeping it alive.
struct WeakFunction {
    weak var function: CellFunction?

    init(_ function: CellFunction) { self.function = function }
}

extension Session {
    /// What a method call site's cache is keyed by: the receiver's registered or struct type.
    func dispatchKey(_ value: Value) -> ObjectIdentifier {
        switch value {
        case .structure(let instance): return ObjectIdentifier(instance.type)
        default: return ObjectIdentifier(typeInfo(of: value))
        }
    }

    /// Runs a registered method's body, turning library errors into failures.
    func invokeBody(
        _ method: Method, _ receiver: inout Value, _ arguments: Arguments, site: SourceLocation?
    ) throws(Failure) -> Value {
        do {
            return try method.body(&receiver, arguments)
        } catch {
            throw failure(from: error, at: site)
        }
    }

    /// Calls a user method on `receiver` (updated in place when the method is mutating).
    func callMethodBody(
        _ function: CellFunction, direct: Bool, _ receiver: inout Value, _ values: [Value],
        labels: [String?], trailingClosureCount: Int, site: SourceLocation?
    ) throws(Failure) -> Value {
        let code = function.code
        guard direct else {
            var list = CallArguments(
                values, labels: labels, site: site, trailingClosureCount: trailingClosureCount)
            return try callUser(function, &list, receiver: &receiver)
        }
        return try withFrame(
            count: code.slotCount, captures: function.captures, boxCount: code.boxCount
        ) { frame throws(Failure) in
            // Move the receiver into the frame, so a mutating method finds it unshared, and
            // back when the method returns or fails (keeping what it changed before failing).
            frame[0] = receiver
            receiver = .void
            defer { receiver = read(code.selfLocation, frame) }
            for (index, value) in values.enumerated() { frame[1 + index] = value }
            if !code.checks.isEmpty {
                try checkParameterTypes(code, frame, site: site, offset: 1)
            }
            return try run(code, frame, site: site)
        }
    }
}
