import CZeroMQ
import Dispatch
import Foundation
import Testing

@testable import Jupyter

/// The heartbeat echoes to each sender and stops only when its context is shut down.
@Suite struct HeartbeatTests {
    @Test func echoesEachPingToItsSender() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, type: .router, role: "heartbeat")
        let endpoint = try socket.bind("tcp://127.0.0.1:*")
        let heartbeat = try Heartbeat(socket: socket, context: context, log: { _ in })
        heartbeat.start()
        for index in 0..<3 {
            let client = try ZMQSocket(context, type: .req, role: "ping")
            try client.connect(endpoint)
            try client.send([Array("ping \(index)".utf8)])
            #expect(try client.receive() == [Array("ping \(index)".utf8)])
            client.close()
        }
        context.shutdown()
        heartbeat.wait()
    }

    /// A socket error (here: a socket that cannot send) is logged and the echo goes on; the
    /// loop used to end at the first failed send, leaving the heartbeat silent for good.
    @Test func aFailedSendDoesNotEndTheLoopOnlyShutdownDoes() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, type: .sub, role: "heartbeat")
        try socket.setOption(ZMQ_SUBSCRIBE, bytes: [])
        let endpoint = try socket.bind("tcp://127.0.0.1:*")
        let logged = Locked<[String]>([])
        let heartbeat = try Heartbeat(socket: socket, context: context) { line in
            logged.withLock { $0.append(line) }
        }
        heartbeat.start()
        let publisher = try ZMQSocket(context, type: .xpub, role: "sender")
        try publisher.connect(endpoint)
        // The subscription reaching the publisher says the connection is up.
        _ = try publisher.receive()
        try publisher.send([Array("first".utf8)])
        let start = ContinuousClock.now
        while logged.value.isEmpty, ContinuousClock.now - start < .seconds(10) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(logged.value.count == 1)
        // Errors are logged at most once a second: the second one shows the loop still runs.
        Thread.sleep(forTimeInterval: 1.1)
        try publisher.send([Array("second".utf8)])
        while logged.value.count < 2, ContinuousClock.now - start < .seconds(10) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(logged.value.count == 2)
        #expect(logged.value.allSatisfy { $0.contains("still echoing") })
        publisher.close()
        context.shutdown()
        heartbeat.wait()
    }
}
