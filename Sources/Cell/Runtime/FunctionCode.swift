import Synchronization

/// A compiled function body with everything needed to call it: the layout of its frame, its
/// parameters and how to bind arguments to them. Shared by every closure value made from the
/// same source.
final class FunctionCode {
    /// Serial numbers: call sites remember a function by its serial (see `DirectCallSite`).
    private static let serials = Atomic<Int>(0)

    /// A number no other function code in the process has, now or later (starting at 1).
    let serial: Int
    /// Name shown in tracebacks: `f`, `Residual.callAsFunction`, `closure`.
    let name: String
    /// Parameters as the argument binder sees them (labels, defaults for signatures).
    let parameters: [Parameter]
    /// Default value expressions, by parameter.
    let defaults: [Evaluator?]
    /// Declared types to check, by parameter (nil: unchecked).
    let specs: [TypeSpec?]
    /// The declared parameter types reduced for fast checking, with their positions.
    let checks: [(position: Int, check: TypeCheck)]
    /// `checks` as plain data when every one is Int, Double, Bool or String (nil otherwise):
    /// a call checks an argument of exactly that type by its tag alone, with no copy.
    let simpleChecks: [SimpleCheck]?
    /// `simpleChecks` packed four bits a parameter (see `SimpleCheck.allMatch`), when there
    /// are some and every one is on one of the first 16 parameters (0 otherwise): a direct
    /// call checks its arguments from this one word, without reading an array.
    let packedChecks: UInt64
    /// Which parameters are `inout`.
    let inoutFlags: [Bool]
    /// Parameters that nested closures capture: copied from their slot into a box on entry.
    let boxedParameters: [(slot: Int, box: Int)]
    let slotCount: Int
    let boxCount: Int
    /// Where each parameter lives once the function runs (a slot or a box), for `inout`
    /// write-back.
    let parameterLocations: [VariableRef]
    let body: Executor
    /// The body's value when it is a single expression or a single `return` of one: what
    /// `body` returns as `.returned(value)`, without the `Flow` (nil for other bodies). Not for
    /// a builder call, which collects the value instead.
    let result: Evaluator
    /// Whether `result` is the body's value (otherwise it is never called).
    let hasResult: Bool
    /// A closure literal (rather than a `func`): may be a builder, may take `$0`.
    let isClosure: Bool
    /// A closure that declares no parameters and uses no `$n`: it accepts and ignores
    /// arguments, so host callbacks may pass it whatever they like.
    let ignoresArguments: Bool
    /// A method: slot 0 holds `self`.
    let isMethod: Bool
    let isMutating: Bool
    /// Where `self` lives in a method (slot 0, or a box when closures capture it).
    let selfLocation: VariableRef
    let returnSpec: TypeSpec?
    /// `returnSpec`, reduced for fast checking.
    let returnCheck: TypeCheck?
    /// `returnCheck` as plain data when it is Int, Double, Bool or String.
    let simpleReturnCheck: SimpleCheck.Kind?
    /// The labels when every parameter is a plain required one, so a call whose labels are
    /// equal can write arguments straight into the frame.
    let directLabels: [String?]?
    /// Source of the declaration, for inspection.
    let signatureText: String
    let documentation: String?
    /// Where the function was written, for tracebacks.
    let file: SourceFile
    /// The source of a closure literal, `{ trial in … }`, as written (nil for other functions):
    /// what `study.optimize(trials:on:)` sends a cluster's ranks.
    let sourceText: String?

    init(
        _ blueprint: FunctionBlueprint, body: @escaping Executor, result: Evaluator? = nil,
        slotCount: Int, boxCount: Int
    ) {
        serial = FunctionCode.serials.add(1, ordering: .relaxed).newValue
        name = blueprint.name
        parameters = blueprint.parameters
        defaults = blueprint.defaults
        specs = blueprint.specs
        checks = blueprint.specs.enumerated().compactMap { position, spec in
            spec.map { (position, TypeCheck($0)) }
        }
        inoutFlags = blueprint.inoutFlags
        boxedParameters = blueprint.boxedParameters
        self.slotCount = slotCount
        self.boxCount = boxCount
        parameterLocations = blueprint.parameterLocations
        self.body = body
        // A constant, not an optional, so that a call reads it without copying (retaining) it.
        if let result {
            self.result = result
            hasResult = true
        } else {
            self.result = FunctionCode.noResult
            hasResult = false
        }
        isClosure = blueprint.isClosure
        ignoresArguments = blueprint.ignoresArguments
        isMethod = blueprint.isMethod
        isMutating = blueprint.isMutating
        selfLocation = blueprint.selfLocation
        returnSpec = blueprint.returnSpec
        returnCheck = blueprint.returnSpec.map(TypeCheck.init)
        simpleReturnCheck = returnCheck.flatMap(SimpleCheck.Kind.init)
        let scalarChecks = checks.compactMap { position, check in
            SimpleCheck.Kind(check).map { SimpleCheck(position: position, kind: $0) }
        }
        simpleChecks = scalarChecks.count == checks.count ? scalarChecks : nil
        packedChecks = SimpleCheck.pack(simpleChecks ?? [])
        signatureText = blueprint.signatureText
        documentation = blueprint.documentation
        file = blueprint.file
        sourceText = blueprint.sourceText
        let simple =
            zip(defaults, inoutFlags).allSatisfy { $0.0 == nil && !$0.1 }
            && !parameters.contains(where: \.isVariadic) && !ignoresArguments
        directLabels = simple ? parameters.map(\.label) : nil
    }

    /// `result` of a body that is not a single expression.
    private static func noResult(_ frame: Frame) throws(Failure) -> Value { .void }

    /// The signature the argument binder and completion read.
    var signature: Signature {
        Signature(
            name: name, parameters: parameters, returns: returnSpec?.description,
            doc: documentation ?? "")
    }
}

/// What the compiler gathers about a function while compiling it, before its code exists.
struct FunctionBlueprint {
    var name: String
    var signatureText: String
    var documentation: String?
    var file: SourceFile
    var sourceText: String?
    var parameters: [Parameter] = []
    var defaults: [Evaluator?] = []
    var specs: [TypeSpec?] = []
    var inoutFlags: [Bool] = []
    var boxedParameters: [(slot: Int, box: Int)] = []
    var parameterLocations: [VariableRef] = []
    var isClosure = false
    var ignoresArguments = false
    var isMethod = false
    var isMutating = false
    var selfLocation: VariableRef = .local(0)
    var returnSpec: TypeSpec?
}

/// Where a variable lives, as the compiler resolved it.
enum VariableRef {
    /// A slot of the current frame.
    case local(Int)
    /// A box of the current frame (a local that nested closures capture).
    case boxed(Int)
    /// A box captured by the current closure.
    case capture(Int)
    /// A global of the session.
    case global(UnsafeMutablePointer<Value?>, name: String)
    /// A local function's own name inside its body: the running function itself. Reading it
    /// makes the function value from the running code and the frame's captures, so a local
    /// function that calls itself need not capture the box that holds it (a cycle that kept
    /// every such function, and all it captured, forever).
    case ownFunction(FunctionCodeReference)
}

/// The code of a local function, for reading its own name (or, in a group of local functions
/// declared together, a sibling's name) inside its body (`VariableRef.ownFunction`). Set once
/// the code is made.
final class FunctionCodeReference {
    /// Not retained: the function's body holds this reference, and the body runs only while
    /// its caller holds the function and so its code (or its group, which holds the code).
    unowned(unsafe) var code: FunctionCode?
    /// The group the function belongs to, if it was declared beside other local functions.
    /// Not retained either: the running function holds it.
    unowned(unsafe) var group: LocalFunctionGroup?

    /// The function named: its code with the captures of `frame`, the frame running it or a
    /// sibling (siblings share their captures).
    @inline(__always)
    func function(in frame: Frame) -> Value {
        guard let code else { return .void }
        return .function(CellFunction(code: code, captures: frame.context.captures, group: group))
    }
}

/// The local functions declared in one block, which may call one another (mutual recursion).
///
/// As Swift does for local functions, a call to a sibling is resolved statically rather than
/// through a captured variable: the siblings share one list of captures, and each makes the
/// others from its own captures and their code, held here. Capturing the variables that hold
/// each other would form a reference cycle that kept the functions, and all they captured,
/// alive forever. Every function value of a member holds the group (so the code of all its
/// siblings); the group holds only code, never a function value, so nothing cycles.
final class LocalFunctionGroup {
    /// The members' code, as it is compiled.
    private(set) var codes: [FunctionCode] = []

    func add(_ code: FunctionCode) { codes.append(code) }
}

/// A compiled expression.
typealias Evaluator = (Frame) throws(Failure) -> Value
/// A compiled statement.
typealias Executor = (Frame) throws(Failure) -> Flow

// MARK: - Storing compiled closures

// Closures kept in arrays or optionals are stored in the generic (fully abstracted) form and
// called through reabstraction thunks. Wrapped in these concrete structs they keep their own
// form, so the evaluator calls them directly.

/// A compiled expression in an array or optional.
struct EvaluatorBox {
    let call: Evaluator
}

/// A compiled statement in an array or optional.
struct ExecutorBox {
    let call: Executor
}

/// A compiled test in an array or optional.
struct TestBox {
    let call: (Frame) throws(Failure) -> Bool
}

/// A compiled case pattern in an array or optional.
struct MatcherBox {
    let call: Matcher
}

/// A compiled binding in an array.
struct BinderBox {
    let call: Binder
}

/// A compiled action without a result, in an array.
struct ActionBox {
    let call: (Frame) throws(Failure) -> Void
}
