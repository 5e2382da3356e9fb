import Jupyter
import KernelInterface

/// The one message of Trainbook's own cluster protocol (protocol/cluster.md): a rank, once its
/// kernel listens, pushes where to reach it to the kernel that launched the job. Everything
/// after that is the Jupyter messaging protocol between the kernel (client) and each rank.
///
/// ```swift
/// let hello = RankRegistration(rank: 1, size: 2, host: "node7", pid: 4242, connection: info)
/// try socket.send([hello.json.jsonBytes()])
/// ```
public struct RankRegistration: Sendable, Equatable {
    /// The protocol's name and version, first in every registration.
    public static let protocolName = "trainbook-cluster/1"

    /// The rank in MPI_COMM_WORLD.
    public var rank: Int
    /// The size of MPI_COMM_WORLD.
    public var size: Int
    /// The host name the rank runs on.
    public var host: String
    /// The rank's process id on that host.
    public var pid: Int
    /// The rank's kernel: address, ports and key (the cluster's key).
    public var connection: ConnectionInfo

    /// Creates a registration.
    public init(rank: Int, size: Int, host: String, pid: Int, connection: ConnectionInfo) {
        self.rank = rank
        self.size = size
        self.host = host
        self.pid = pid
        self.connection = connection
    }

    /// The registration as the JSON object sent.
    public var json: JSONValue {
        [
            "protocol": .string(Self.protocolName), "rank": .int(rank), "size": .int(size),
            "host": .string(host), "pid": .int(pid), "connection": connection.json,
        ]
    }

    /// Reads a registration.
    ///
    /// - Throws: `ClusterError.badRegistration` when a field is missing or the protocol differs.
    public init(bytes: [UInt8]) throws(ClusterError) {
        guard let json = try? JSONValue(parsing: bytes),
            json["protocol"]?.stringValue == Self.protocolName,
            let rank = json["rank"]?.intValue, let size = json["size"]?.intValue,
            let host = json["host"]?.stringValue, let pid = json["pid"]?.intValue,
            let connectionJSON = json["connection"],
            let connection = try? ConnectionInfo(json: connectionJSON)
        else {
            throw .badRegistration(String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        self.init(rank: rank, size: size, host: host, pid: pid, connection: connection)
    }
}
