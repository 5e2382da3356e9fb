import Cell

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
