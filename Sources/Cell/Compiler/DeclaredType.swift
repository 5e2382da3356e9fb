/// The type a variable was declared with, which every later assignment to it keeps, as in
/// Swift: `var rate: Double = 1; rate = 2` stores 2.0, and `var n: Int = 0; n = "a"` is an
/// error. A variable whose initial value is a floating-point literal (`var lr = 0.1`) is a
/// Double too, so integers assigned to it later become Doubles.
enum DeclaredType {
    /// Written in the declaration (`var rate: Double`).
    case declared(TypeCheck)
    /// Inferred from a floating-point literal: integers convert, nothing else is checked.
    case inferredDouble

    /// The declared type of `let`/`var` entry, if it has one the language checks.
    init?(annotation: TypeSyntax?, value: Expr?) {
        if let annotation {
            let spec = TypeSpec(annotation)
            guard spec != .any else { return nil }
            self = .declared(TypeCheck(spec))
            return
        }
        guard let value, DeclaredType.isFloatLiteral(value) else { return nil }
        self = .inferredDouble
    }

    private static func isFloatLiteral(_ expression: Expr) -> Bool {
        switch expression.kind {
        case .float: return true
        case .prefix(let op, let operand) where op == "-" || op == "+":
            return isFloatLiteral(operand)
        default: return false
        }
    }
}

/// A declared element type checked on the compiler's fast path for `xs[i] = v`, made once per
/// place (one reference for the compiled assignment to hold): a value of the common scalar
/// types is compared by tag inline (`matches(_:)`), anything else goes through the general
/// check.
final class ElementCheck {
    let check: TypeCheck
    let leaf: DeclaredLeaf

    /// The check's scalar kind, as plain data (reading it retains nothing), nil for a type
    /// that needs the general check.
    private let scalar: SimpleCheck.Kind?

    init(_ leaf: DeclaredLeaf) {
        self.leaf = leaf
        check = TypeCheck(leaf.spec)
        scalar = SimpleCheck.Kind(check)
    }

    /// Whether `value` is of the declared scalar type as it is, so it is stored unchanged
    /// (false for anything needing `checked(_:_:at:)`: another type, a conversion, a type
    /// other than Int, Double, Bool and String).
    @inline(__always)
    func matches(_ value: Value) -> Bool {
        switch scalar {
        case .int?: if case .int = value { return true }
        case .double?: if case .double = value { return true }
        case .bool?: if case .bool = value { return true }
        case .string?: if case .string = value { return true }
        case nil: break
        }
        return false
    }

    /// `value` as it is stored here (an integer becomes a Double where one is declared), or a
    /// TypeError naming the declaration.
    func checked(_ value: Value, _ session: Session, at site: SourceLocation) throws(Failure)
        -> Value
    {
        try session.check(value, check, at: site, message: leaf.message)
    }
}

extension Session {
    /// `value` converted to the declared type of the variable `name` it is assigned to.
    @inline(__always)
    func converted(
        _ value: Value, to type: DeclaredType, name: String, at site: SourceLocation
    ) throws(Failure) -> Value {
        switch type {
        case .inferredDouble:
            if case .int(let integer) = value { return .double(Double(integer)) }
            return value
        case .declared(let declared):
            return try check(value, declared, at: site) { value in
                "cannot assign a value of type \(value.typeName) to '\(name)' of type "
                    + declared.spec.description
            }
        }
    }
}

/// The declared type that a change at the end of a place keeps: `a[i] = v` on a `var a: [Int]`
/// stores an Int (an integer stored where a Double is declared becomes a Double), and anything
/// else is an error naming the declaration. Only the new value is checked, never the whole
/// container. A class, so that passing one along a place's steps retains one reference.
final class DeclaredLeaf {
    /// The variable or property whose declaration gives the type.
    let owner: String
    /// Whether `owner` is a struct's property (else a variable).
    let isProperty: Bool
    /// The type `owner` was declared with.
    let ownerSpec: TypeSpec
    /// The type of what the place reaches.
    let spec: TypeSpec
    /// Whether the place reaches inside `owner` (an element) rather than `owner` itself.
    let isElement: Bool
    /// Whether storing nil there removes an entry (`d[key] = nil`) rather than storing a value.
    let removable: Bool

    /// The declared type of a variable or property itself.
    convenience init(owner: String, isProperty: Bool, spec: TypeSpec) {
        self.init(
            owner: owner, isProperty: isProperty, ownerSpec: spec, spec: spec, isElement: false,
            removable: false)
    }

    private init(
        owner: String, isProperty: Bool, ownerSpec: TypeSpec, spec: TypeSpec, isElement: Bool,
        removable: Bool
    ) {
        self.owner = owner
        self.isProperty = isProperty
        self.ownerSpec = ownerSpec
        self.spec = spec
        self.isElement = isElement
        self.removable = removable
    }

    /// What an element of this type has as its type (`removable` for a dictionary's entry).
    func element(_ spec: TypeSpec, removable: Bool = false) -> DeclaredLeaf {
        DeclaredLeaf(
            owner: owner, isProperty: isProperty, ownerSpec: ownerSpec, spec: spec,
            isElement: true, removable: removable)
    }

    /// The type past a `?` or `!`. Past a dictionary's entry (`d[key]!`) it is the value's
    /// declared type itself, since the `?` or `!` unwraps the optional the lookup returns
    /// (`d["a"]! = nil` on a `[String: Int?]` stores nil).
    var unwrapped: DeclaredLeaf {
        var wrapped = spec
        if !removable, case .optional(let inner) = spec { wrapped = inner }
        return DeclaredLeaf(
            owner: owner, isProperty: isProperty, ownerSpec: ownerSpec, spec: wrapped,
            isElement: isElement, removable: false)
    }

    /// The type one step reaches, taking an index to be one element (not a range); nil when
    /// unknown (a member, which only the struct's type knows).
    func along(_ step: Place.Step) -> DeclaredLeaf? {
        switch (step, spec) {
        case (.index, .array(let element)): return self.element(element)
        case (.index, .dictionary(_, let value)): return element(value, removable: true)
        case (.unwrap, _), (.forceUnwrap, _): return unwrapped
        default: return nil
        }
    }

    /// The type that subscripting `container` with `indices` reaches: an array's element, or
    /// the array type itself for a range (`a[0..<2] = [5, 6]`); a dictionary's value, which
    /// nil removes when there is no `default:`; nil when unknown.
    func along(_ indices: [Value], labels: [String?], in container: Value) -> DeclaredLeaf? {
        switch (spec, container) {
        case (.array(let element), .array):
            if indices.count == 1, case .range = indices[0] { return self.element(spec) }
            return self.element(element)
        case (.dictionary(_, let value), .dictionary):
            return element(value, removable: labels.count == 1)
        default:
            return nil
        }
    }

    /// `value` as it is stored here (an integer becomes a Double where one is declared), or a
    /// TypeError naming the declaration.
    @inline(__always)
    func check(_ value: Value, _ session: Session, at site: SourceLocation) throws(Failure)
        -> Value
    {
        if removable, value.isNil { return value }
        return try session.check(value, TypeCheck(spec), at: site, message: message)
    }

    /// The error's message for a value of the wrong type.
    func message(_ value: Value) -> String {
        "cannot assign a value of type \(value.typeName) to " + (isElement ? "an element of " : "")
            + (isProperty ? "property '\(owner)'" : "'\(owner)'") + " of type "
            + ownerSpec.description
    }
}
