import CZeroMQ
import Jupyter

/// The rank's end of registration: one PUSH of its `RankRegistration` to the kernel.
public enum RegistrationSender {
    /// Sends `registration` to the kernel at `endpoint` and waits (at most 10 s) until it has
    /// left the process.
    ///
    /// - Throws: `JupyterError.socket` when the socket cannot be made or connected.
    public static func send(_ registration: RankRegistration, to endpoint: String)
        throws(JupyterError)
    {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, type: .push, role: "cluster registration")
        try socket.setOption(ZMQ_LINGER, Int32(10_000))
        try socket.connect(endpoint)
        try socket.send([registration.json.jsonBytes()])
        socket.close()
        context.terminate()
    }
}
