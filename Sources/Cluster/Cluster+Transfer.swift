import Foundation
import KernelInterface

/// Values between the kernel's session and the ranks' (`cluster.push` / `cluster.pull`): the
/// value's bytes (`ValueTransfer`: models as safetensors with their architecture) travel base64
/// inside an ordinary execute request, `var NAME = _clusterDecode("…")` on every rank, and back
/// as the stdout of `_clusterEncode(NAME)` on one rank (protocol/cluster.md).
extension Cluster {
    /// Binds `name` to the value of `bytes` on every rank.
    ///
    /// - Throws: `ClusterError.usage` for a name that is not an identifier, `.transport` naming
    ///   the rank that could not decode it.
    public func push(_ name: String, bytes: [UInt8], interrupted: () -> Bool)
        throws(ClusterError)
    {
        try Self.requireIdentifier(name)
        let code = "var \(name) = _clusterDecode(\"\(Data(bytes).base64EncodedString())\")"
        let silent = ClusterCellOutput(write: { _, _ in }, display: { _ in })
        let result = try run(code, rootOnly: true, output: silent, interrupted: interrupted)
        if let failure = result.errors.first {
            throw .transport(
                "cluster.push(\"\(name)\"): rank \(failure.rank): \(failure.error.value)")
        }
    }

    /// The bytes of `name`'s value on rank `rank`.
    ///
    /// - Throws: `ClusterError.usage` for a name that is not an identifier or a rank that does
    ///   not exist, `.transport` when the rank has no such value.
    public func pull(_ name: String, from rank: Int, interrupted: () -> Bool) throws(ClusterError)
        -> [UInt8]
    {
        try Self.requireIdentifier(name)
        guard (0..<size).contains(rank) else {
            throw .usage("cluster.pull: there is no rank \(rank) (ranks 0..<\(size))")
        }
        var text = ""
        let capture = ClusterCellOutput(
            write: { chunk, stream in if stream == .stdout { text += chunk } }, display: { _ in })
        let result = try run(
            "_clusterEncode(\(name))", rootOnly: true, output: capture, interrupted: interrupted,
            onRank: rank)
        if let failure = result.errors.first {
            throw .transport("cluster.pull(\"\(name)\", from: \(rank)): \(failure.error.value)")
        }
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw .transport(
                "cluster.pull(\"\(name)\", from: \(rank)): the rank's answer is damaged")
        }
        return [UInt8](data)
    }

    private static func requireIdentifier(_ name: String) throws(ClusterError) {
        guard let first = name.unicodeScalars.first,
            first == "_" || first.properties.isXIDStart,
            name.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isXIDContinue })
        else {
            throw .usage("\"\(name)\" is not a name a cell can use")
        }
    }
}
