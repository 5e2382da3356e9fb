import KernelInterface

/// The one declarative table of everything cells can call: functions, types with their
/// members, operators, protocols and implicit members. Evaluation, argument checking,
/// completion, inspection and `%help` all read it, so a binding written once is callable,
/// checked, completed and documented.
///
/// ```swift
/// let x = Param<Tensor>.positional("x")
/// registry.function("relu", doc: "Rectified linear unit, max(x, 0).",
///                   parameters: [x], returns: "Tensor") { arguments in
///     try arguments.wrap(relu(try arguments[x]))
/// }
/// ```
public final class Registry {
    package var functions: [String: [HostFunction]] = [:]
    package var types: [String: TypeInfo] = [:]
    package var typesBySwiftType: [ObjectIdentifier: TypeInfo] = [:]
    var protocols: [String: ProtocolInfo] = [:]
    var constants: [String: (value: Value, doc: String, module: String)] = [:]
    var binaryOperators: [String: [OperatorBinding]] = [:]
    var prefixOperators: [String: [OperatorBinding]] = [:]
    var seedObservers: [(UInt64) -> Void] = []
    var magics: [String: Magic] = [:]
    var cellMagics: [String: Magic] = [:]
    /// What every evaluation runs inside (the library's per-session context), if anything.
    var evaluationScope: (any EvaluationScope)?
    /// The module each function belongs to, for `%help`.
    var functionModules: [String: String] = [:]

    /// An empty registry (the interpreter adds the language's builtins first).
    public init() {}

    // MARK: - Functions

    /// Registers a global function. Several functions may share a name; a call uses the first
    /// whose labels match.
    ///
    /// - Parameters:
    ///   - name: the name cells call.
    ///   - module: the module it belongs to, for `%help`.
    ///   - doc: a one-line summary, then details.
    ///   - parameters: labels, types and defaults, checked before `body` runs.
    ///   - returns: the result type as written in Swift, for signatures.
    ///   - body: the implementation.
    public func function(
        _ name: String, module: String = "Core", doc: String,
        parameters: [any ParameterDeclaration] = [],
        returns: String? = nil, _ body: @escaping (Arguments) throws -> Value
    ) {
        function(name, module: module, doc: doc, parameters: parameters, returns: returns) {
            HostFunction(signature: $0, body: body)
        }
    }

    /// Registers a global function with a second body for calls whose arguments are all
    /// unlabelled (see `UnlabelledBody`), for the builtins a loop calls most (`print`).
    func function(
        _ name: String, doc: String, parameters: [any ParameterDeclaration],
        unlabelled: @escaping UnlabelledBody, general: @escaping (Arguments) throws -> Value
    ) {
        function(name, module: "Core", doc: doc, parameters: parameters, returns: nil) {
            HostFunction(signature: $0, body: general, unlabelledBody: unlabelled)
        }
    }

    private func function(
        _ name: String, module: String, doc: String, parameters: [any ParameterDeclaration],
        returns: String?, make: (Signature) -> HostFunction
    ) {
        let signature = Signature(name: name, parameters: parameters, returns: returns, doc: doc)
        functions[name, default: []].append(make(signature))
        functionModules[name] = module
    }

    /// Registers a named value, such as `standardError`.
    public func constant(_ name: String, module: String = "Core", doc: String, _ value: Value) {
        constants[name] = (value, doc, module)
    }

    // MARK: - Types

    /// Registers a library type whose instances are the Swift type `T`, and declares its
    /// members through `build`.
    ///
    /// - Parameters:
    ///   - swiftType: the Swift type of instances.
    ///   - name: the name cells write.
    ///   - kind: `.reference` for objects shared on assignment (models), `.value` for
    ///     copy-on-write values (tensors).
    ///   - module: the module it belongs to, for `%help`.
    ///   - doc: a one-line summary, then details.
    ///   - conformances: protocols the type conforms to, such as `Layer`.
    ///   - build: declares initializers, methods, properties, subscripts, display.
    @discardableResult
    public func type<T>(
        _ swiftType: T.Type, name: String, kind: TypeKind, module: String = "Core", doc: String,
        conformances: [String] = [], _ build: (TypeBuilder<T>) -> Void
    ) -> TypeInfo {
        let info =
            types[name]
            ?? TypeInfo(
                name: name, kind: kind, doc: doc, module: module,
                conformances: Set(conformances))
        info.conformances.formUnion(conformances)
        types[name] = info
        typesBySwiftType[ObjectIdentifier(swiftType)] = info
        build(TypeBuilder<T>.host(info))
        return info
    }

    /// Declares or extends one of the language's own types (`Int`, `Array`, …), whose
    /// receivers are plain values.
    @discardableResult
    public func builtinType(
        _ name: String, module: String = "Core", doc: String,
        _ build: (TypeBuilder<Value>) -> Void
    ) -> TypeInfo {
        let info =
            types[name]
            ?? TypeInfo(name: name, kind: .value, doc: doc, module: module, conformances: [])
        if !doc.isEmpty { info.doc = doc }
        types[name] = info
        build(TypeBuilder<Value>.builtin(info))
        return info
    }

    /// Registers values reachable as implicit members (`.relu`, `.successiveHalving`) where a
    /// parameter of type `typeName` is expected, creating the type if it does not exist.
    public func implicitMembers(
        of typeName: String, module: String = "Core",
        _ members: [(name: String, doc: String, value: Value)]
    ) {
        let info =
            types[typeName]
            ?? TypeInfo(name: typeName, kind: .value, doc: "", module: module, conformances: [])
        types[typeName] = info
        for member in members {
            let value = member.value
            info.staticProperties[member.name] = StaticProperty(
                name: member.name, type: typeName, doc: member.doc, value: { value })
        }
    }

    /// Registers a protocol that library types and user structs conform to by name.
    ///
    /// - Parameters:
    ///   - name: the protocol's name (`Layer`).
    ///   - requirements: method selectors a conforming user struct must have, e.g.
    ///     `callAsFunction(_:)`.
    ///   - doc: the documentation.
    public func `protocol`(_ name: String, requirements: [String], doc: String = "") {
        protocols[name] = ProtocolInfo(name: name, requirements: requirements, doc: doc)
    }

    // MARK: - Operators

    /// Registers an infix operator for operand types given by name (`"Tensor"`, `"Double"`,
    /// `"Int"`, or `"Any"`). Int operands also match a `"Double"` binding.
    public func binaryOperator(
        _ op: String, lhs: String, rhs: String,
        _ body: @escaping (Value, Value, Session) throws -> Value
    ) {
        binaryOperators[op, default: []].append(
            OperatorBinding(operandTypes: [lhs, rhs]) { operands, session in
                try body(operands[0], operands[1], session)
            })
    }

    /// Registers a prefix operator (`-t`) for an operand type given by name.
    public func prefixOperator(
        _ op: String, operand: String, _ body: @escaping (Value, Session) throws -> Value
    ) {
        prefixOperators[op, default: []].append(
            OperatorBinding(operandTypes: [operand]) { operands, session in
                try body(operands[0], session)
            })
    }

    // MARK: - Seeding

    /// Calls `observer` with the new seed whenever `seed(n)` or `%seed n` runs, so library
    /// generators can reseed from the session's.
    public func onSeed(_ observer: @escaping (UInt64) -> Void) {
        seedObservers.append(observer)
    }

    // MARK: - Magics

    /// A library's line magic: gets the session, the text after the name (trimmed) and where
    /// the magic was written; returns the magic's value.
    package typealias Magic = (Session, String, SourceLocation) throws(Failure) -> Value

    /// Registers a line magic, `%name argument`, completed and run like the language's own.
    package func magic(_ name: String, _ body: @escaping Magic) {
        magics[name] = body
    }

    /// Registers a cell magic, `%%name options` on the first line of a cell: `body` gets the
    /// text after the name (the options line, then the cell's other lines).
    package func cellMagic(_ name: String, _ body: @escaping Magic) {
        cellMagics[name] = body
    }

    // MARK: - Evaluation scope

    /// Makes every later evaluation (execute, complete, inspect) run inside `scope`, on the
    /// evaluating thread: the library installs its per-session state there.
    public func setEvaluationScope(_ scope: any EvaluationScope) {
        evaluationScope = scope
    }

    /// Runs `body` inside the evaluation scope, or directly when there is none.
    func withinEvaluationScope<T>(_ body: () -> T) -> T {
        guard let evaluationScope else { return body() }
        return evaluationScope.run(body)
    }

    // MARK: - Lookup

    /// Wraps a Swift object of a registered type as a value (for values made while
    /// registering, such as static members; during a call use `Arguments.wrap`).
    ///
    /// - Throws: `CellError.typeMismatch` when `T` was not registered.
    public func value<T>(wrapping object: T) throws -> Value {
        guard let info = info(for: T.self) else {
            throw CellError.typeMismatch(
                "the library type \(T.self) is not registered with the cell language")
        }
        return info.wrap(object)
    }

    /// The registered name of the Swift type `T`, or its Swift name.
    public func typeName<T>(for swiftType: T.Type) -> String {
        typesBySwiftType[ObjectIdentifier(swiftType)]?.name ?? String(describing: swiftType)
    }

    /// The registered type of Swift objects of type `T`.
    package func info<T>(for swiftType: T.Type) -> TypeInfo? {
        typesBySwiftType[ObjectIdentifier(swiftType)]
    }

    /// Every module that has something registered, in a stable order.
    var modules: [String] {
        let names = Set(functionModules.values).union(types.values.map(\.module))
            .union(constants.values.map(\.module))
        return names.sorted { ($0 == "Core" ? 0 : 1, $0) < ($1 == "Core" ? 0 : 1, $1) }
    }
}

/// An operator implementation for given operand types.
struct OperatorBinding {
    let operandTypes: [String]
    let body: ([Value], Session) throws -> Value
}
