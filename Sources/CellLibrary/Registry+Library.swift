/// Wrapping library objects as cell values where no session is at hand (property getters and
/// static members receive only the object).
import Cell

extension Registry {
    /// `object` as a value of its registered type.
    ///
    /// - Throws: `CellError.typeMismatch` when the Swift type was not registered.
    func wrapValue<T>(_ object: T) throws -> Value {
        guard let info = info(for: T.self) else {
            throw CellError.typeMismatch(
                "the library type \(T.self) is not registered with the cell language")
        }
        return .host(HostObject(type: info, payload: object))
    }
}

extension TypeInfo {
    /// `payload` as an instance of this type.
    func wrap(_ payload: Any) -> Value {
        .host(HostObject(type: self, payload: payload))
    }
}

// MARK: - Overload order

extension Registry {
    /// Moves the overload of `name` registered last to the front, so a typed library overload
    /// (`abs(_ x: Tensor)`) is tried before an untyped builtin that would accept anything.
    func preferLastOverload(of name: String) {
        guard var overloads = functions[name], let last = overloads.popLast() else { return }
        overloads.insert(last, at: 0)
        functions[name] = overloads
    }

    /// Moves the initializer of `typeName` registered last to the front (see
    /// `preferLastOverload(of:)`).
    func preferLastInitializer(of typeName: String) {
        guard let info = types[typeName], let last = info.initializers.popLast() else { return }
        info.initializers.insert(last, at: 0)
    }
}
