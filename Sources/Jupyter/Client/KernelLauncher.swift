import Files
import Foundation
import KernelInterface
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Starts a kernel from its kernelspec the way Jupyter does: a connection file (mode 0600,
/// 127.0.0.1, free ports, a fresh key) in the runtime directory (created 0700), then the spec's command line
/// with `{connection_file}` and `{resource_dir}` filled in.
///
/// The kernel runs in its own process group with SIGINT unblocked and at its default action,
/// so a Ctrl-C typed at the client's terminal reaches the kernel only as the client decides.
///
/// ```swift
/// let kernel = try KernelLauncher.launch(try KernelSpec.find(named: "python3"))
/// defer { kernel.shutdown(client: client) }
/// ```
public enum KernelLauncher {
    /// Launches `spec`.
    ///
    /// - Parameters:
    ///   - spec: the kernelspec.
    ///   - runtimeDirectory: where the connection file goes.
    /// - Throws: `JupyterError.kernelLaunch` or `.file`.
    public static func launch(
        _ spec: KernelSpec, runtimeDirectory: String = JupyterPaths.runtimeDirectory()
    )
        throws(JupyterError) -> RunningKernel
    {
        try PrivateDirectory.make(runtimeDirectory)
        let ports = try freePorts(count: Channel.allCases.count)
        var portMap: [Channel: Int] = [:]
        for (channel, port) in zip(Channel.allCases, ports) { portMap[channel] = port }
        let connection = ConnectionInfo(key: randomKey(), kernelName: spec.name, ports: portMap)
        let path = runtimeDirectory + "/kernel-\(UUID().uuidString.lowercased()).json"
        try connection.write(to: path)
        let argv = spec.argv.map {
            $0.replacingOccurrences(of: "{connection_file}", with: path)
                .replacingOccurrences(of: "{resource_dir}", with: spec.directory)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["JPY_PARENT_PID"] = String(getpid())
        for (name, value) in spec.environment { environment[name] = value }
        do {
            let pid = try spawn(argv, environment: environment)
            return RunningKernel(pid: pid, connection: connection, connectionFile: path, spec: spec)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Spawns `argv` (searched in `PATH`) in a new process group with SIGINT restored.
    private static func spawn(_ argv: [String], environment: [String: String]) throws(JupyterError)
        -> pid_t
    {
        guard let program = argv.first else {
            throw JupyterError.kernelLaunch(reason: "the kernelspec's argv is empty")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let variables: [UnsafeMutablePointer<CChar>?] =
            environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in variables { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, program, nil, &attributes, arguments, variables)
        guard status == 0 else {
            throw JupyterError.kernelLaunch(
                reason: "\(program): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// `count` distinct free TCP ports on 127.0.0.1 (bound together, then released, as
    /// jupyter_client does).
    static func freePorts(count: Int) throws(JupyterError) -> [Int] {
        var descriptors: [Int32] = []
        defer { for descriptor in descriptors { close(descriptor) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else {
                throw JupyterError.kernelLaunch(reason: "no socket for a free port")
            }
            descriptors.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, length)
                }
            }
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    getsockname(descriptor, $0, &length)
                }
            }
            guard bound == 0, named == 0 else {
                throw JupyterError.kernelLaunch(
                    reason: "cannot find a free port: \(String(cString: strerror(errno)))")
            }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }

    private static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(
            separator: "-")
    }
}
