import Cell
import Foundation
import NN

/// The two functions `cluster.push` and `cluster.pull` run on a rank (protocol/cluster.md):
/// `_clusterDecode("BASE64")` turns bytes the kernel sent into a value, `_clusterEncode(value)`
/// prints a value's bytes, base64, for the kernel to read from the cell's stdout. Only the
/// kernel's cluster writes calls to them.
enum ClusterValueBindings {
    static func install(into registry: Registry) {
        let data = Param<String>.positional("data")
        registry.function(
            "_clusterDecode", module: CollectiveBindings.module,
            doc: "The value `cluster.push` sent (base64 of its bytes); internal to the cluster.",
            parameters: [data], returns: "Value"
        ) { arguments in
            guard let bytes = Data(base64Encoded: try arguments[data]) else {
                throw CellError.invalidValue("_clusterDecode: the data is not base64")
            }
            return try ValueTransfer.decode([UInt8](bytes), into: nil, session: arguments.session)
        }
        let value = Param<Value>.positional("value")
        registry.function(
            "_clusterEncode", module: CollectiveBindings.module,
            doc:
                "Prints the bytes of `value`, base64, for `cluster.pull`; internal to the cluster.",
            parameters: [value], returns: "Void"
        ) { arguments in
            let bytes = try ValueTransfer.encode(try arguments[value], session: arguments.session)
            arguments.session.write(Data(bytes).base64EncodedString())
            return .void
        }
    }
}
