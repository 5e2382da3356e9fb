import Foundation
import KernelInterface

/// A kernelspec: how to start a kernel (its kernel.json) and where it was found.
///
/// ```swift
/// let spec = try KernelSpec.find(named: "python3")
/// spec.argv  // ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
/// ```
public struct KernelSpec: Sendable, Equatable {
    /// How the front end interrupts the kernel.
    public enum InterruptMode: String, Sendable {
        /// Send SIGINT to the kernel process.
        case signal
        /// Send `interrupt_request` on the control channel.
        case message
    }

    /// The kernelspec's name (its directory name).
    public var name: String
    /// The command line; "{connection_file}" is replaced by the connection file's path.
    public var argv: [String]
    /// The name front ends show.
    public var displayName: String
    /// The language, e.g. "swift".
    public var language: String
    /// How to interrupt it.
    public var interruptMode: InterruptMode
    /// Environment variables set for the kernel process.
    public var environment: [String: String]
    /// Free-form metadata.
    public var metadata: [String: JSONValue]
    /// The directory holding kernel.json (empty for a spec not read from disk).
    public var directory: String

    /// Creates a kernelspec.
    public init(
        name: String, argv: [String], displayName: String, language: String,
        interruptMode: InterruptMode = .signal,
        environment: [String: String] = [:], metadata: [String: JSONValue] = [:],
        directory: String = ""
    ) {
        self.name = name
        self.argv = argv
        self.displayName = displayName
        self.language = language
        self.interruptMode = interruptMode
        self.environment = environment
        self.metadata = metadata
        self.directory = directory
    }

    /// The kernel.json document.
    public var json: JSONValue {
        [
            "argv": .array(argv.map { .string($0) }), "display_name": .string(displayName),
            "language": .string(language), "interrupt_mode": .string(interruptMode.rawValue),
            "env": .object(environment.mapValues { .string($0) }), "metadata": .object(metadata),
        ]
    }

    /// Reads `directory/kernel.json`.
    ///
    /// - Throws: `JupyterError.invalidKernelSpec` when it is missing or unusable.
    public init(directory: String) throws(JupyterError) {
        let path = directory + "/kernel.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JupyterError.invalidKernelSpec(path: path, reason: "cannot be read")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: [UInt8](data))
        } catch {
            throw JupyterError.invalidKernelSpec(path: path, reason: error.description)
        }
        let argv = json["argv"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !argv.isEmpty else {
            throw JupyterError.invalidKernelSpec(path: path, reason: "\"argv\" is missing or empty")
        }
        self.init(
            name: (directory as NSString).lastPathComponent, argv: argv,
            displayName: json["display_name"]?.stringValue ?? "",
            language: json["language"]?.stringValue ?? "",
            interruptMode: InterruptMode(rawValue: json["interrupt_mode"]?.stringValue ?? "")
                ?? .signal,
            environment: (json["env"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
            metadata: json["metadata"]?.objectValue ?? [:], directory: directory)
    }

    /// Finds the kernelspec `name` (case-insensitive) in Jupyter's data directories, highest
    /// priority first.
    ///
    /// - Throws: `JupyterError.noSuchKernel` listing the directories searched.
    public static func find(
        named name: String, in directories: [String] = JupyterPaths.dataDirectories()
    )
        throws(JupyterError) -> KernelSpec
    {
        let wanted = name.lowercased()
        for directory in directories {
            let kernels = directory + "/kernels"
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: kernels)) ?? []
            for entry in entries.sorted() where entry.lowercased() == wanted {
                return try KernelSpec(directory: kernels + "/" + entry)
            }
        }
        throw JupyterError.noSuchKernel(name: name, searched: directories.map { $0 + "/kernels" })
    }
}
