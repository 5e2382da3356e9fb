import Files
import Foundation
import KernelInterface

/// The contents of a kernel connection file: where each channel listens and the signing key.
///
/// ```swift
/// let info = try ConnectionInfo(contentsOf: "/run/user/1000/jupyter/kernel-1.json")
/// info.endpoint(for: .shell)  // "tcp://127.0.0.1:53791"
/// ```
public struct ConnectionInfo: Sendable, Equatable {
    /// The ZeroMQ transport.
    public enum Transport: String, Sendable {
        /// TCP: `ip` is an address, ports are TCP ports.
        case tcp
        /// Unix domain sockets: endpoints are the files "`ip`-`port`".
        case ipc
    }

    /// The transport.
    public var transport: Transport
    /// The address (tcp) or path prefix (ipc).
    public var ip: String
    /// The HMAC key; empty disables signing.
    public var key: String
    /// Always "hmac-sha256".
    public var signatureScheme: String
    /// The kernelspec name, when the launcher wrote it.
    public var kernelName: String
    /// The port of each channel; 0 means "any free port" when binding.
    public var ports: [Channel: Int]

    /// Creates connection info.
    public init(
        transport: Transport = .tcp, ip: String = "127.0.0.1", key: String, kernelName: String = "",
        ports: [Channel: Int]
    ) {
        self.transport = transport
        self.ip = ip
        self.key = key
        self.signatureScheme = JupyterProtocol.signatureScheme
        self.kernelName = kernelName
        self.ports = ports
    }

    /// The ZeroMQ endpoint of `channel`, e.g. "tcp://127.0.0.1:5555" or "ipc:///tmp/k-1".
    public func endpoint(for channel: Channel) -> String {
        let port = ports[channel] ?? 0
        switch transport {
        case .tcp: return "tcp://\(ip):\(port == 0 ? "*" : String(port))"
        case .ipc: return "ipc://\(ip)-\(port)"
        }
    }

    /// The signer for this connection's key.
    public var signer: MessageSigner { MessageSigner(key: Array(key.utf8)) }

    /// Reads connection info from its JSON.
    ///
    /// - Throws: `JupyterError.connectionFile` naming the bad field, or
    ///   `.unsupportedSignatureScheme`.
    public init(json: JSONValue, path: String = "connection info") throws(JupyterError) {
        guard let fields = json.objectValue else {
            throw JupyterError.connectionFile(path: path, reason: "not a JSON object")
        }
        func string(_ name: String, default fallback: String) throws(JupyterError) -> String {
            guard let value = fields[name] else { return fallback }
            guard let text = value.stringValue else {
                throw JupyterError.connectionFile(
                    path: path, reason: "\"\(name)\" must be a string")
            }
            return text
        }
        guard let transport = Transport(rawValue: try string("transport", default: "tcp")) else {
            throw JupyterError.connectionFile(
                path: path, reason: "\"transport\" must be \"tcp\" or \"ipc\"")
        }
        var ports: [Channel: Int] = [:]
        for channel in Channel.allCases {
            let name = "\(channel.rawValue)_port"
            guard let port = fields[name]?.intValue ?? (fields[name] == nil ? 0 : nil),
                (0...65535).contains(port)
            else {
                throw JupyterError.connectionFile(
                    path: path, reason: "\"\(name)\" must be a port number")
            }
            ports[channel] = port
        }
        self.init(
            transport: transport, ip: try string("ip", default: "127.0.0.1"),
            key: try string("key", default: ""),
            kernelName: try string("kernel_name", default: ""), ports: ports)
        signatureScheme = try string("signature_scheme", default: JupyterProtocol.signatureScheme)
        guard signatureScheme == JupyterProtocol.signatureScheme || key.isEmpty else {
            throw JupyterError.unsupportedSignatureScheme(signatureScheme)
        }
    }

    /// Reads a connection file.
    ///
    /// - Throws: `JupyterError.connectionFile` when it cannot be read or is not valid.
    public init(contentsOf path: String) throws(JupyterError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JupyterError.connectionFile(path: path, reason: "cannot be read")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: [UInt8](data))
        } catch {
            throw JupyterError.connectionFile(path: path, reason: error.description)
        }
        try self.init(json: json, path: path)
    }

    /// The connection file's JSON.
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "transport": .string(transport.rawValue), "ip": .string(ip), "key": .string(key),
            "signature_scheme": .string(signatureScheme), "kernel_name": .string(kernelName),
        ]
        for channel in Channel.allCases {
            fields["\(channel.rawValue)_port"] = .int(ports[channel] ?? 0)
        }
        return .object(fields)
    }

    /// Writes the connection file atomically, readable only by its owner (mode 0600).
    ///
    /// - Throws: `JupyterError.file` when it cannot be written.
    public func write(to path: String) throws(JupyterError) {
        try JupyterError.writing { () throws(FileWriteError) in
            try AtomicFile.write(
                json.jsonBytes(JSONFormat(sortedKeys: true, indent: 2)), to: path, mode: 0o600)
        }
    }
}
