import Files
import Foundation
import KernelInterface

#if canImport(Glibc)
    import Glibc
#endif

/// Installs a kernelspec directory: kernel.json plus 32 and 64 px logos, each file written
/// atomically.
///
/// ```swift
/// let spec = KernelSpecInstaller.trainbookSpec(name: "trainbook", executable: "/usr/local/bin/trainbook")
/// let directory = try KernelSpecInstaller.install(spec, into: .user)
/// ```
public enum KernelSpecInstaller {
    /// Where a kernelspec goes.
    public enum Destination: Sendable, Equatable {
        /// The user's Jupyter data directory.
        case user
        /// `PREFIX/share/jupyter`, e.g. a virtual environment or /usr/local.
        case prefix(String)
        /// The active virtual environment's or conda prefix's `share/jupyter`.
        case environment

        /// The `kernels` directory of this destination.
        ///
        /// - Throws: `JupyterError.usage` for `.environment` outside an environment.
        public func kernelsDirectory(
            environment: [String: String] = ProcessInfo.processInfo.environment
        )
            throws(JupyterError) -> String
        {
            switch self {
            case .user: return JupyterPaths.userDataDirectory(environment: environment) + "/kernels"
            case .prefix(let prefix): return prefix + "/share/jupyter/kernels"
            case .environment:
                guard let prefix = JupyterPaths.environmentPrefix(environment: environment) else {
                    throw JupyterError.usage(
                        "--sys-prefix needs an active environment ($VIRTUAL_ENV or $CONDA_PREFIX)")
                }
                return prefix + "/share/jupyter/kernels"
            }
        }
    }

    /// The kernelspec that runs `executable kernel -f {connection_file}`.
    ///
    /// - Parameters:
    ///   - name: the kernelspec name (its directory).
    ///   - displayName: what front ends show; defaults to "Trainbook (Swift)".
    ///   - executable: the absolute path of the `trainbook` binary.
    ///   - environment: variables for the kernel process.
    ///   - interruptMode: signal (SIGINT) or message (`interrupt_request`).
    ///   - version: recorded in the metadata.
    public static func trainbookSpec(
        name: String = "trainbook", displayName: String? = nil, executable: String,
        environment: [String: String] = [:],
        interruptMode: KernelSpec.InterruptMode = .signal, version: String = "0.1.0"
    ) -> KernelSpec {
        KernelSpec(
            name: name, argv: [executable, "kernel", "-f", "{connection_file}"],
            displayName: displayName ?? "Trainbook (Swift)", language: "swift",
            interruptMode: interruptMode,
            environment: environment,
            metadata: ["debugger": false, "trainbook": ["version": .string(version)]])
    }

    /// Writes `spec` into `destination` and returns the kernelspec directory.
    ///
    /// - Throws: `JupyterError.file` when the directory or a file cannot be written.
    @discardableResult
    public static func install(_ spec: KernelSpec, into destination: Destination)
        throws(JupyterError) -> String
    {
        let directory = try destination.kernelsDirectory() + "/" + spec.name
        try JupyterError.writing { () throws(FileWriteError) in
            try AtomicFile.makeDirectory(directory)
            try AtomicFile.write(
                spec.json.jsonBytes(JSONFormat(sortedKeys: true, indent: 1)),
                to: directory + "/kernel.json")
            for size in [32, 64] {
                try AtomicFile.write(
                    KernelLogo.png(size: size), to: directory + "/logo-\(size)x\(size).png")
            }
        }
        return directory
    }

    /// The absolute path of the running executable (from /proc/self/exe, else argv[0]).
    public static func currentExecutablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            return String(
                decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let argument = CommandLine.arguments.first ?? "trainbook"
        return URL(fileURLWithPath: argument).standardizedFileURL.path
    }
}
