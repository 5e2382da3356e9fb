import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Ends the rank when the kernel that started it is gone: every `interval` seconds a TCP
/// connection to the kernel's registration port (which stays bound while the cluster runs) is
/// tried; after `failures` refusals in a row the process exits. Without it, a kernel killed
/// with SIGKILL would leave mpirun and its ranks running (mpirun is in a session of its own).
enum KernelLifeline {
    /// Starts the watching thread for `endpoint`, `tcp://HOST:PORT`.
    static func watch(_ endpoint: String, interval: Double = 2, failures: Int = 3) {
        let address = endpoint.dropFirst("tcp://".count)
        guard let colon = address.lastIndex(of: ":"),
            let port = Int(address[address.index(after: colon)...])
        else { return }
        let host = String(address[..<colon])
        let thread = Thread {
            var refused = 0
            while true {
                Thread.sleep(forTimeInterval: interval)
                refused = reachable(host: host, port: port) ? 0 : refused + 1
                if refused >= failures {
                    var text = "trainbook-worker: the kernel at \(endpoint) is gone; exiting\n"
                    text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
                    _exit(3)
                }
            }
        }
        thread.name = "kernel lifeline"
        thread.start()
    }

    /// Whether a TCP connection to `host:port` is accepted.
    static func reachable(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            return false
        }
        defer { freeaddrinfo(results) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
            if descriptor >= 0 {
                let connected =
                    connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
                close(descriptor)
                if connected { return true }
            }
            entry = info.pointee.ai_next
        }
        return false
    }
}
