/// A compiled function body with everything needed to call it: the layout of its frame, its
/// parameters and how to bind arguments to them. Shared by every closure value made from the
/// same source.
final class FunctionCode {
    /// Name shown in tracebacks: `f`, `Residual.callAsFunction`, `closure`.
    let name: String
    /// Parameters as the argument binder sees them (labels, defaults for signatures).
    var parameters: [Parameter] = []
    /// Default value expressions, by parameter.
    var defaults: [Evaluator?] = []
    /// Declared types to check, by parameter (nil: unchecked).
    var specs: [TypeSpec?] = []
    /// Which parameters are `inout`.
    var inoutFlags: [Bool] = []
    /// Parameters that nested closures capture: copied from their slot into a box on entry.
    var boxedParameters: [(slot: Int, box: Int)] = []
    var slotCount = 0
    var boxCount = 0
    /// Where each parameter lives once the function runs (a slot or a box), for `inout`
    /// write-back.
    var parameterLocations: [VariableRef] = []
    /// The body; replaced once compiled (a function can call itself).
    var body: Executor = { frame throws(Failure) in .normal }
    /// A closure literal (rather than a `func`): may be a builder, may take `$0`.
    var isClosure = false
    /// A closure that declares no parameters and uses no `$n`: it accepts and ignores
    /// arguments, so host callbacks may pass it whatever they like.
    var ignoresArguments = false
    /// A method: slot 0 holds `self`.
    var isMethod = false
    var isMutating = false
    /// Where `self` lives in a method (slot 0, or a box when closures capture it).
    var selfLocation: VariableRef = .local(0)
    var returnSpec: TypeSpec?
    /// The labels when every parameter is a plain required one, so a call whose labels are
    /// equal can write arguments straight into the frame.
    var directLabels: [String?]?
    /// Source of the declaration, for inspection.
    var signatureText: String
    var documentation: String?
    /// Where the function was written, for tracebacks.
    let file: SourceFile

    init(name: String, signatureText: String, file: SourceFile) {
        self.name = name
        self.signatureText = signatureText
        self.file = file
    }

    /// The signature the argument binder and completion read.
    var signature: Signature {
        Signature(
            name: name, parameters: parameters, returns: returnSpec?.description,
            doc: documentation ?? "")
    }

    /// Whether any parameter has a declared type to check.
    var hasSpecs = false

    /// Decides whether calls with exactly these labels may bind directly.
    func finishParameters() {
        let simple =
            zip(defaults, inoutFlags).allSatisfy { $0.0 == nil && !$0.1 }
            && !parameters.contains(where: \.isVariadic) && !ignoresArguments
        directLabels = simple ? parameters.map(\.label) : nil
        hasSpecs = specs.contains { $0 != nil }
    }
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
}

/// A compiled expression.
typealias Evaluator = (Frame) throws(Failure) -> Value
/// A compiled statement.
typealias Executor = (Frame) throws(Failure) -> Flow
