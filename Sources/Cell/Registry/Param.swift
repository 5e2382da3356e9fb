/// A typed, named parameter of a binding: declared once, listed in the signature, and read back
/// by handle, so the Swift type gives the cell-language type (nothing to misspell) and adding a
/// parameter shifts nothing.
///
/// The declaration is what argument checking, completion of labels, Shift-Tab inspection and
/// `%help` read; `arguments[handle]` finds the parameter by name and converts its checked
/// value to `T`, or fails naming the parameter (`argument 'epochs' of fit(_:epochs:) must be
/// Int, not String`).
///
/// ```swift
/// let data = Param<Dataset>.positional("data")
/// let epochs = Param<Int>.labelled("epochs", default: 1)
/// let shape = Param<[Int]>.labelled("shape", as: .shape)     // a custom reading
/// type.method("fit", parameters: [data, epochs], returns: "History", doc: "…") { model, arguments in
///     try train(model, on: arguments[data], epochs: arguments[epochs])
/// }
/// ```
public struct Param<T>: ParameterDeclaration {
    /// The declaration signatures, completion and `%help` show.
    public let parameter: Parameter
    /// How the bound value becomes a `T`.
    public let kind: ArgumentKind<T>

    /// A parameter read as `kind`.
    ///
    /// - Parameters:
    ///   - label: the argument label, nil for an unlabelled (`_`) parameter.
    ///   - name: the name signatures and errors show.
    ///   - kind: the type signatures show and how a value is read.
    ///   - defaultValue: the value used when the argument is omitted; nil when it is required.
    ///   - shownDefault: text for the default in signatures, when the value alone would not read
    ///     well (`softmaxCrossEntropy` for a nil that means it).
    public init(
        label: String?, name: String, kind: ArgumentKind<T>, defaultValue: Value? = nil,
        shownDefault: String? = nil
    ) {
        self.parameter = Parameter(
            label: label, name: name, type: kind.cellType, defaultValue: defaultValue,
            defaultDescription: shownDefault)
        self.kind = kind
    }

    /// A builder closure whose expression statements' values are collected into an array
    /// (`Sequential { Flatten(); Dense(784, 10) }`), or an array given directly; untyped, so that
    /// choosing an overload does not reject the closure before it runs.
    public static func builder(_ name: String) -> Param<Value> {
        Param<Value>(
            declaring: Parameter(label: nil, name: name, isBuilder: true),
            kind: Value.argumentKind)
    }

    /// A handle for a parameter declared in full.
    public init(declaring parameter: Parameter, kind: ArgumentKind<T>) {
        self.parameter = parameter
        self.kind = kind
    }

    /// An unlabelled parameter read as `kind`: `f(x)`.
    public static func positional(
        _ name: String, as kind: ArgumentKind<T>, default value: Value? = nil,
        shown: String? = nil
    ) -> Param {
        Param(label: nil, name: name, kind: kind, defaultValue: value, shownDefault: shown)
    }

    /// A labelled parameter read as `kind`: `f(shape: [2, 3])`.
    public static func labelled(
        _ label: String, as kind: ArgumentKind<T>, default value: Value? = nil,
        shown: String? = nil
    ) -> Param {
        Param(label: label, name: label, kind: kind, defaultValue: value, shownDefault: shown)
    }
}

extension Param where T: ArgumentType {
    /// An unlabelled, required parameter of the Swift type `T`: `f(x)`.
    public static func positional(_ name: String) -> Param {
        Param(label: nil, name: name, kind: T.argumentKind)
    }

    /// A labelled, required parameter of the Swift type `T`: `Dense(inputs: 784)`.
    public static func labelled(_ label: String) -> Param {
        Param(label: label, name: label, kind: T.argumentKind)
    }

    /// A labelled parameter of a host type with a default shown as text (`nil` meaning a
    /// library default): `loss: Loss? = softmaxCrossEntropy`.
    public static func labelled(_ label: String, defaultValue: Value, shown: String? = nil)
        -> Param
    {
        Param(
            label: label, name: label, kind: T.argumentKind, defaultValue: defaultValue,
            shownDefault: shown)
    }
}

extension Param where T == [Value] {
    /// Any number of unlabelled arguments, collected into an array: `t.permuted(0, 2, 1)`.
    public static func variadic(_ name: String) -> Param {
        Param(
            declaring: Parameter(label: nil, name: name, isVariadic: true),
            kind: [Value].argumentKind)
    }
}

extension Param where T: ArgumentType & ExpressibleByNilLiteral {
    /// A labelled parameter that is nil when omitted: `fit(data, validation: test)`.
    public static func optional(_ label: String) -> Param {
        Param(label: label, name: label, kind: T.argumentKind, defaultValue: .nilValue)
    }
}

extension Param where T: DefaultableArgument {
    /// An unlabelled parameter of the Swift type `T` with a default: `f(x, 2)`.
    public static func positional(_ name: String, default value: T, shown: String? = nil)
        -> Param
    {
        Param(
            label: nil, name: name, kind: T.argumentKind, defaultValue: value.argumentValue,
            shownDefault: shown)
    }

    /// A labelled parameter of the Swift type `T` with a default: `fit(data, epochs: 3)`.
    public static func labelled(_ label: String, default value: T, shown: String? = nil)
        -> Param
    {
        Param(
            label: label, name: label, kind: T.argumentKind, defaultValue: value.argumentValue,
            shownDefault: shown)
    }
}

/// Anything a registration lists as a parameter: a typed `Param` handle, or an untyped
/// `Parameter` (the language's own builtins).
public protocol ParameterDeclaration {
    /// The declaration signatures, completion and `%help` show.
    var parameter: Parameter { get }
}

extension Parameter: ParameterDeclaration {
    /// The parameter itself.
    public var parameter: Parameter { self }
}

extension ParameterDeclaration where Self == Parameter {
    /// An unlabelled parameter whose type is given as text: `f(x)`.
    public static func positional(_ name: String, type: String? = nil, default value: Value? = nil)
        -> Parameter
    {
        Parameter(label: nil, name: name, type: type, defaultValue: value)
    }

    /// A labelled parameter whose type is given as text: `f(epochs: 3)`.
    public static func labelled(_ label: String, type: String? = nil, default value: Value? = nil)
        -> Parameter
    {
        Parameter(label: label, name: label, type: type, defaultValue: value)
    }

    /// Any number of unlabelled arguments, collected into an array: `print(a, b, c)`.
    public static func variadic(_ name: String, type: String? = nil) -> Parameter {
        Parameter(label: nil, name: name, type: type, isVariadic: true)
    }

    /// A builder closure: each expression statement's value is collected into an array.
    public static func builder(_ name: String, of elementType: String) -> Parameter {
        Parameter(label: nil, name: name, type: "[\(elementType)]", isBuilder: true)
    }
}

extension Arguments {
    /// The argument bound to `param`, as its Swift type.
    ///
    /// - Throws: `CellError.typeMismatch` naming the parameter when the value is not a `T`,
    ///   and `CellError.badArguments` when the binding reads a parameter it did not declare.
    public subscript<T>(_ param: Param<T>) -> T {
        get throws {
            let name = param.parameter.name
            guard let index = signature.parameters.firstIndex(where: { $0.name == name }) else {
                throw CellError.badArguments(
                    "\(signature.selector) has no parameter '\(name)' (a binding reads a "
                        + "parameter it did not declare)")
            }
            guard let value = try param.kind.read(self[index], session) else {
                throw mismatch(index, expected: param.kind.expected)
            }
            return value
        }
    }

    /// Calls the argument bound to `param` (a closure, function, or anything callable) with
    /// `values`.
    public func call<T>(_ param: Param<T>, with values: [Value]) throws -> Value {
        let name = param.parameter.name
        guard let index = signature.parameters.firstIndex(where: { $0.name == name }) else {
            throw CellError.badArguments(
                "\(signature.selector) has no parameter '\(name)' (a binding reads a "
                    + "parameter it did not declare)")
        }
        return try call(index, with: values)
    }

    /// The error for the argument bound to `param` not being `expected`, for a binding that
    /// checks more than the parameter's kind does.
    public func mismatch<T>(_ param: Param<T>, expected: String) -> CellError {
        let name = param.parameter.name
        return mismatch(
            signature.parameters.firstIndex(where: { $0.name == name }) ?? -1, expected: expected)
    }

    /// Whether the argument bound to `param` is `nil` (or omitted with a nil default).
    public func isNil<T>(_ param: Param<T>) -> Bool {
        let name = param.parameter.name
        guard let index = signature.parameters.firstIndex(where: { $0.name == name }) else {
            return true
        }
        return self[index].isNil
    }
}
