import Dispatch
import Foundation
import KernelInterface
import Testing

@testable import Jupyter

/// New IOPub subscribers are welcomed (JEP 65) also while other threads publish: a send under
/// the publisher's lock may consume the socket descriptor's signal, so the subscription must
/// still be read and answered.
@Suite struct IOPubWelcomeTests {
    @Test func idleKernelWelcomesEachNewSubscriber() throws {
        let kernel = try TestKernel()
        for _ in 0..<3 {
            let subscriber = try KernelClient(connection: kernel.server.connection)
            defer { subscriber.close() }
            #expect(try Self.receivesWelcome(subscriber, within: .seconds(5)))
        }
    }

    @Test func subscribersJoiningWhileACellPrintsAreWelcomed() throws {
        let kernel = try TestKernel()
        let finished = DispatchSemaphore(value: 0)
        let printing = Thread { [kernel] in
            _ = try? kernel.execute("lines 300000")
            finished.signal()
        }
        printing.start()
        defer { finished.wait() }
        for _ in 0..<3 {
            let subscriber = try KernelClient(connection: kernel.server.connection)
            defer { subscriber.close() }
            #expect(try Self.receivesWelcome(subscriber, within: .seconds(5)))
        }
    }

    /// Whether `client` receives an `iopub_welcome` before `timeout` passes, skipping the other
    /// IOPub messages it may see first.
    private static func receivesWelcome(_ client: KernelClient, within timeout: Duration) throws
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard let message = try client.receive(on: .iopub, timeout: remaining) else {
                return false
            }
            if message.type == .iopubWelcome { return true }
        }
        return false
    }
}
