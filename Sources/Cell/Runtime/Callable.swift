import Synchronization

/// Anything a cell can call: user functions and closures, registry functions, bound methods,
/// implicit members awaiting their type, and operators used as functions.
public class Callable {
    /// The name shown in tracebacks and descriptions.
    public let name: String
    /// The compiled code of a user function or closure (nil for other callables), so calls can
    /// recognise them without a dynamic cast.
    let cellCode: FunctionCode?
    /// A registry function's body for calls whose arguments are all unlabelled (nil for other
    /// callables, and for registry functions without one), so calls find it without a dynamic
    /// cast.
    let unlabelledBody: UnlabelledBody?

    init(name: String, cellCode: FunctionCode? = nil, unlabelledBody: UnlabelledBody? = nil) {
        self.name = name
        self.cellCode = cellCode
        self.unlabelledBody = unlabelledBody
    }

    /// Calls with already evaluated arguments. Subclasses override this.
    func call(_ arguments: inout CallArguments, session: Session) throws(Failure) -> Value {
        throw Failure(.typeMismatch("'\(name)' cannot be called"), at: arguments.site)
    }

    /// The signature shown by inspection, e.g. `relu(_ x: Tensor) -> Tensor`.
    var signatureText: String { "\(name)(…)" }

    /// The documentation shown by inspection.
    var documentation: String { "" }
}

/// A registry function's body for a call whose arguments are all unlabelled, none written `&x`
/// and none a trailing closure: it reads the evaluated arguments where they lie, and every
/// other parameter has its default. It must do what the function's general body does for the
/// same call; `print(i)` takes it, skipping the argument arrays and the binding.
///
/// It is not called with an implicit member (`.relu`) among the arguments: such a call takes
/// the general path, whose binding reports it.
package typealias UnlabelledBody = (
    _ arguments: UnsafeBufferPointer<Value>, _ session: Session
) throws(Failure) -> Value

/// Evaluated arguments on their way into a call.
struct CallArguments {
    var values: [Value]
    /// One label per value (nil for unlabelled arguments).
    var labels: [String?]
    /// How many of the last values were written as trailing closures.
    var trailingClosureCount = 0
    /// Where the call is, for errors.
    var site: SourceLocation?
    /// Indices of arguments written `&x`; after the call, `values` holds their new values.
    var inoutIndices: [Int] = []
    /// Whether an argument was written as an array literal holding an implicit member
    /// (`f([.gaussianNoise(0.3)])`): an untyped user parameter cannot give it a type.
    var holdsImplicitMembersInArrays = false

    init(
        _ values: [Value], labels: [String?]? = nil, site: SourceLocation?,
        trailingClosureCount: Int = 0
    ) {
        self.values = values
        self.labels = labels ?? Array(repeating: nil, count: values.count)
        self.site = site
        self.trailingClosureCount = trailingClosureCount
    }
}

/// A function or initializer from the registry.
package final class HostFunction: Callable {
    /// How the arguments of a call with given labels fill the parameters.
    private struct Assignment {
        var labels: [String?]
        var trailingClosureCount: Int
        var slots: [ArgumentBinder.Slot]
    }

    let signature: Signature
    let body: (Arguments) throws -> Value
    /// The assignment of the last call: a loop calls with the same labels every time, and
    /// matching them to the parameters afresh was a fifth of a `print(i)` loop.
    private let lastAssignment = Mutex<Assignment?>(nil)

    init(
        signature: Signature, body: @escaping (Arguments) throws -> Value,
        unlabelledBody: UnlabelledBody? = nil
    ) {
        self.signature = signature
        self.body = body
        super.init(name: signature.name, unlabelledBody: unlabelledBody)
    }

    override func call(_ arguments: inout CallArguments, session: Session) throws(Failure)
        -> Value
    {
        let bound = try session.bind(
            arguments.values, slots: try slots(for: arguments), to: signature,
            site: arguments.site)
        do {
            return try body(
                Arguments(
                    values: bound, session: session, signature: signature,
                    location: arguments.site))
        } catch {
            throw failure(from: error, at: arguments.site)
        }
    }

    override var signatureText: String { signature.text }
    override var documentation: String { signature.doc }

    /// Where each parameter's value comes from in a call with `arguments`' labels.
    private func slots(for arguments: CallArguments) throws(Failure) -> [ArgumentBinder.Slot] {
        let known = lastAssignment.withLock { last -> [ArgumentBinder.Slot]? in
            guard let last, last.trailingClosureCount == arguments.trailingClosureCount,
                last.labels == arguments.labels
            else { return nil }
            return last.slots
        }
        if let known { return known }
        let assignment = signature.assignment(
            labels: arguments.labels, trailingClosureCount: arguments.trailingClosureCount)
        switch assignment {
        case .success(let slots):
            lastAssignment.withLock {
                $0 = Assignment(
                    labels: arguments.labels, trailingClosureCount: arguments.trailingClosureCount,
                    slots: slots)
            }
            return slots
        case .failure(let error):
            throw Failure(error, at: arguments.site)
        }
    }
}

/// A user function or closure together with the variables it captured.
final class CellFunction: Callable {
    let code: FunctionCode
    private(set) var captures: [Box]
    /// Whether it was made without captures (a call then need not read `captures`).
    let capturesNothing: Bool
    /// For a local function declared beside others, their group, which keeps the siblings'
    /// code alive for as long as this function may call them.
    let group: LocalFunctionGroup?

    init(code: FunctionCode, captures: [Box], group: LocalFunctionGroup? = nil) {
        self.code = code
        self.captures = captures
        self.group = group
        capturesNothing = captures.isEmpty
        super.init(name: code.name, cellCode: code)
    }

    override func call(_ arguments: inout CallArguments, session: Session) throws(Failure)
        -> Value
    {
        try session.callUser(self, &arguments, selfValue: nil).result
    }

    override var signatureText: String { code.signatureText }
    override var documentation: String { code.documentation ?? "" }

    /// Hands the captured boxes over (for `ValueTeardown`, when the function is dying),
    /// leaving none.
    func takeCaptures() -> [Box] {
        let taken = captures
        captures = []
        return taken
    }
}

/// A method together with the receiver it was read from (`model.fit` used as a value).
final class BoundMethod: Callable {
    let receiver: Value
    let memberName: String

    init(receiver: Value, memberName: String, displayName: String) {
        self.receiver = receiver
        self.memberName = memberName
        super.init(name: displayName)
    }

    override func call(_ arguments: inout CallArguments, session: Session) throws(Failure)
        -> Value
    {
        var receiver = self.receiver
        return try session.callMethod(
            on: &receiver, named: memberName, arguments: &arguments,
            mutability: .immutable(
                "a method used as a value cannot change its receiver"))
    }

    override var signatureText: String { name }
}

/// `.relu` or `.gradual(epochs: 3)` before the type that gives it a meaning is known.
package final class ImplicitMember: Callable {
    let memberName: String
    /// The arguments of `.gradual(epochs: 3)`; nil for `.relu`.
    let arguments: CallArguments?
    let site: SourceLocation?

    init(memberName: String, arguments: CallArguments?, site: SourceLocation?) {
        self.memberName = memberName
        self.arguments = arguments
        self.site = site
        super.init(name: "." + memberName)
    }

    override func call(_ arguments: inout CallArguments, session: Session) throws(Failure)
        -> Value
    {
        throw Failure(
            .typeMismatch(
                "cannot infer the type of '.\(memberName)' here; write it with its type, "
                    + "as in 'TypeName.\(memberName)'"), at: site ?? arguments.site)
    }
}

/// An operator used as a function value: `reduce(0, +)`, `sorted(by: >)`.
package final class OperatorFunction: Callable {
    package let op: String

    init(op: String) {
        self.op = op
        super.init(name: op)
    }

    override func call(_ arguments: inout CallArguments, session: Session) throws(Failure)
        -> Value
    {
        switch arguments.values.count {
        case 2:
            return try session.applyBinary(
                op, arguments.values[0], arguments.values[1], at: arguments.site)
        case 1:
            return try session.applyPrefix(op, arguments.values[0], at: arguments.site)
        default:
            throw Failure(
                .badArguments(
                    "operator '\(op)' takes one or two arguments, not \(arguments.values.count)"),
                at: arguments.site)
        }
    }

    override var signatureText: String { "(lhs, rhs) -> Value  // operator \(op)" }
}

/// Registry functions sharing a name (`max(_:_:)` and `max(_:)` for an array): a call uses
/// the first whose parameters accept the arguments.
package final class OverloadSet: Callable {
    let overloads: [HostFunction]

    init(name: String, _ overloads: [HostFunction]) {
        self.overloads = overloads
        super.init(name: name)
    }

    override func call(_ arguments: inout CallArguments, session: Session) throws(Failure)
        -> Value
    {
        let chosen = try session.chooseOverload(overloads.map(\.signature), for: arguments)
        return try overloads[chosen].call(&arguments, session: session)
    }

    override var signatureText: String {
        overloads.map(\.signature.text).joined(separator: "\n")
    }

    override var documentation: String { overloads.first?.signature.doc ?? "" }
}
