import KernelInterface
import Memory

/// The persistent state cells run against: globals, user types, extensions, the random
/// generator, the memory budget, history. Library bindings receive it (through `Arguments`) to
/// call back into cell code, check for interrupts, display values and draw random numbers.
///
/// All of a session's work happens on the interpreter's evaluation thread.
public final class Session {
    /// The registry the session's builtins come from.
    public let registry: Registry
    /// The memory budget the session's values and tensors share.
    public let memory: MemoryBudget
    /// The seeded generator `seed(n)` resets; library generators draw their seeds from it.
    public let random: SessionRandom
    /// The flag interrupts raise; long-running library code may poll it (or call
    /// `checkInterrupt()`).
    public let interruptFlag: InterruptFlag
    /// The deepest call nesting allowed.
    public let recursionLimit: Int

    let globals = GlobalTable()
    package let output = OutputChannel()
    /// The current call nesting, behind a pointer so that the hottest counter of the
    /// evaluator costs a plain load and store.
    let depth = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    /// The slots of running functions.
    let stack = ValueStack()
    /// The context shared by frames that need no boxes, captures or collector.
    let emptyContext = FrameContext(captures: [], boxCount: 0)
    /// Methods and computed properties added by `extension` to types by name.
    var extensionMethods: [String: [String: [CellFunction]]] = [:]
    var extensionProperties: [String: [String: ComputedProperty]] = [:]
    /// Counts changes to methods (struct declarations, extensions, resets): call sites that
    /// cached a method resolution redo it when this moves.
    var methodGeneration = 0
    /// The newest cells run so far, for `%history`: between `historyLimit` and twice that many,
    /// so that a long session does not keep every cell it ever ran.
    private(set) var history: [String] = []
    /// How many of the oldest cells `history` has let go (the first kept is cell this + 1).
    private(set) var historyDropped = 0
    /// The fewest cells `history` keeps.
    var historyLimit = 10_000
    /// Reads environment variables (replaceable for tests).
    package var environment: (String) -> String?
    /// What libraries keep per session (CellLibrary's progress settings), by type.
    private var libraryStates: [ObjectIdentifier: AnyObject] = [:]
    /// Whether cells are compiled with the fast paths (`CellInterpreter.Configuration`).
    var usesFastPaths = true
    let builtins: BuiltinTypes

    init(
        registry: Registry, memory: MemoryBudget, recursionLimit: Int,
        interruptFlag: InterruptFlag,
        environment: @escaping (String) -> String?
    ) {
        self.registry = registry
        self.memory = memory
        self.random = SessionRandom(seed: 0)
        self.interruptFlag = interruptFlag
        self.recursionLimit = recursionLimit
        self.environment = environment
        self.builtins = BuiltinTypes(registry: registry)
        depth.initialize(to: 0)
        installGlobals()
    }

    deinit {
        depth.deallocate()
    }

    /// The session's instance of a library's per-session state, made by `make` on first use.
    ///
    /// ```swift
    /// extension Session {
    ///     var progress: ProgressSettings { libraryState { ProgressSettings() } }
    /// }
    /// ```
    public func libraryState<State: AnyObject>(_ make: () -> State) -> State {
        let key = ObjectIdentifier(State.self)
        if let state = libraryStates[key] as? State { return state }
        let state = make()
        libraryStates[key] = state
        return state
    }

    /// Records a cell for `%history`, letting the oldest go beyond twice `historyLimit`.
    func recordHistory(_ cell: String) {
        history.append(cell)
        if history.count > 2 * historyLimit {
            let dropped = history.count - historyLimit
            history.removeFirst(dropped)
            historyDropped += dropped
        }
    }

    /// Puts the registry's functions, types, protocols and constants into the globals.
    func installGlobals() {
        for (name, overloads) in registry.functions {
            guard let first = overloads.first else { continue }
            let value: Value =
                overloads.count == 1
                ? .function(first) : .function(OverloadSet(name: name, overloads))
            globals.define(name, value, isLet: true, isBuiltin: true)
        }
        let internalTypeNames: Set = ["Tuple", "Function", "Type", "Void", "Optional", "Range"]
        for (name, info) in registry.types where !internalTypeNames.contains(name) {
            globals.define(name, .type(.registered(info)), isLet: true, isBuiltin: true)
        }
        for (name, info) in registry.protocols {
            globals.define(name, .type(.protocolType(info)), isLet: true, isBuiltin: true)
        }
        for (name, constant) in registry.constants {
            globals.define(name, constant.value, isLet: false, isBuiltin: true)
        }
    }

    // MARK: - For library bindings

    /// Calls a closure, function, type or callable object with unlabelled arguments.
    ///
    /// Errors thrown by the cell code (including interrupts) propagate to the caller, which
    /// should let them through.
    public func call(_ callee: Value, _ arguments: [Value], labels: [String?]? = nil) throws
        -> Value
    {
        var list = CallArguments(arguments, labels: labels, site: nil)
        do {
            return try invoke(callee, &list)
        } catch var failure {
            if failure.frames.isEmpty, let location = failure.location {
                failure.frames.append(TraceFrame(location: location, function: calleeName(callee)))
            }
            throw failure
        }
    }

    /// Calls the method `name` of `receiver`: `session.callMethod("callAsFunction", on: layer, [x])`.
    public func callMethod(
        _ name: String, on receiver: Value, _ arguments: [Value], labels: [String?]? = nil
    ) throws -> Value {
        var receiver = receiver
        var list = CallArguments(arguments, labels: labels, site: nil)
        return try callMethod(
            on: &receiver, named: name, arguments: &list,
            mutability: .immutable("a library call cannot change its receiver"))
    }

    /// Throws `CellError.interrupted` if the user interrupted the cell. Library loops call it
    /// between batches.
    public func checkInterrupt() throws {
        if interruptFlag.isRaised { throw CellError.interrupted }
    }

    /// Wraps a Swift object of a registered type as a value.
    ///
    /// - Throws: `CellError.typeMismatch` when the type was not registered.
    public func wrap<T>(_ object: T) throws -> Value {
        try registry.value(wrapping: object)
    }

    /// Binds `name` to `value` in the session's globals, as `var name = value` in a cell would
    /// (a library magic's result: `%cluster start` binds `cluster`).
    package func defineGlobal(_ name: String, _ value: Value) {
        globals.define(name, value, isLet: false)
    }

    /// The source of a closure literal as written (`{ trial in … }`), nil for any other value:
    /// what `study.optimize(trials:on: cluster)` sends the ranks to compile in their sessions.
    package func closureSource(_ value: Value) -> String? {
        guard case .function(let callable) = value else { return nil }
        return callable.cellCode?.sourceText
    }

    /// Whether the session has a global of this name.
    package func hasGlobal(_ name: String) -> Bool {
        globals.definedNames.contains(name)
    }

    /// Appends text to the cell's stdout or stderr.
    public func write(_ text: String, to stream: StandardStream = .stdout) {
        output.write(text, to: stream)
    }

    /// Shows a bundle now; with an `id`, `updateDisplay` replaces it later.
    public func display(_ bundle: MimeBundle, id: String? = nil) {
        output.display(bundle, id: id)
    }

    /// Replaces the display shown with `id`.
    public func updateDisplay(_ bundle: MimeBundle, id: String) {
        output.updateDisplay(bundle, id: id)
    }

    /// The display bundle of a value: its type's own rendering (library types, and builtin
    /// types given one, such as dictionaries of metrics), or its text form.
    public func bundle(for value: Value) -> MimeBundle {
        if let bundle = typeInfo(of: value).display?(value) {
            return bundle
        }
        return MimeBundle(plainText: debugDescription(of: value))
    }

    /// The stored properties of a user struct instance, in declaration order; nil for other
    /// values. Library code uses it to find the parameters nested in a user-defined layer.
    public func storedProperties(of value: Value) -> [(name: String, value: Value)]? {
        guard case .structure(let instance) = value else { return nil }
        return zip(instance.type.storedProperties, instance.fields).map { ($0.0.name, $0.1) }
    }

    /// A copy of a user struct instance with the stored property `name` replaced.
    ///
    /// - Throws: `CellError.noMember` when the struct has no such stored property.
    public func settingStoredProperty(_ name: String, of value: Value, to newValue: Value) throws
        -> Value
    {
        guard case .structure(let instance) = value,
            let index = instance.type.propertyIndex[name]
        else {
            throw CellError.noMember(type: value.typeName, member: name, suggestion: nil)
        }
        let copy = instance.copy()
        copy[index] = newValue
        return .structure(copy)
    }

    /// Whether `value` conforms to the protocol (or is of the type) called `name`.
    public func conforms(_ value: Value, to name: String) -> Bool {
        switch value {
        case .structure(let instance):
            return instance.type.name == name || instance.type.conformances.contains(name)
        case .host(let object):
            return object.type.name == name || object.type.conformances.contains(name)
        default:
            return typeInfo(of: value).name == name
        }
    }

    private func calleeName(_ callee: Value) -> String {
        if case .function(let function) = callee { return function.name }
        return callee.typeName
    }
}

/// The registered descriptions of the language's own types, looked up once.
struct BuiltinTypes {
    let int, double, bool, string, array, dictionary, tuple, range, function, type, void,
        nilType: TypeInfo

    init(registry: Registry) {
        func info(_ name: String) -> TypeInfo {
            if let existing = registry.types[name] { return existing }
            let created = TypeInfo(
                name: name, kind: .value, doc: "", module: "Core", conformances: [])
            registry.types[name] = created
            return created
        }
        int = info("Int")
        double = info("Double")
        bool = info("Bool")
        string = info("String")
        array = info("Array")
        dictionary = info("Dictionary")
        tuple = info("Tuple")
        range = info("Range")
        function = info("Function")
        type = info("Type")
        void = info("Void")
        nilType = info("Optional")
    }
}
