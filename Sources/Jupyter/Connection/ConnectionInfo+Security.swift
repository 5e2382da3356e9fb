extension ConnectionInfo {
    /// Whether only this machine can reach the endpoints: the ipc transport, or tcp on a
    /// loopback address (127.0.0.0/8, `::1`, `localhost`).
    public var isLoopback: Bool {
        switch transport {
        case .ipc: return true
        case .tcp:
            let address = ip.trimmingPrefix("[").split(separator: "]").first.map(String.init) ?? ""
            return address == "localhost" || address == "::1" || address.hasPrefix("127.")
        }
    }

    /// Whether messages are signed: an empty key turns signing off.
    public var isSigned: Bool { !key.isEmpty }

    /// Checks that serving this connection is not an open door, and returns the warnings to
    /// log: unsigned messages on a loopback address are allowed with a warning (as Jupyter's
    /// tools do); on any other address they would let anyone who reaches the ports run code,
    /// so they are refused unless `allowUnsignedRemote` says the user wants exactly that.
    ///
    /// - Throws: `JupyterError.unsignedRemoteConnection`.
    public func securityWarnings(allowUnsignedRemote: Bool) throws(JupyterError) -> [String] {
        guard !isSigned else { return [] }
        guard isLoopback || allowUnsignedRemote else {
            throw JupyterError.unsignedRemoteConnection(ip: ip)
        }
        let reach =
            isLoopback
            ? "any local user who can reach the ports can run code in this kernel"
            : "ANYONE who can reach \(ip) can run code in this kernel"
        return [
            "message signing is off: the connection file has no \"key\"; \(reach). This is insecure and not recommended."
        ]
    }
}
