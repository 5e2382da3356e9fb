import Cell
import NN
import Tensor

/// What cells on a cluster rank call to work with the other ranks: `rank`, `worldSize`,
/// `barrier()`, `allReduce(tensor, op:)`, `broadcast(value, from:)` and `gather(value)`.
/// Installed only in `trainbook-worker`, over its MPI communicator (the kernel links no MPI).
///
/// ```swift
/// let total = allReduce(Tensor([Double(rank)]), op: .sum)
/// let weights = broadcast(model, from: 0)       // rank 0's weights, loaded into each rank's model
/// let names = gather("rank \(rank)")              // ["rank 0", "rank 1", …] on every rank
/// ```
enum CollectiveBindings {
    static let module = "Cluster"
    /// The type whose static members name reductions: `.sum`, `.mean`, `.max`.
    static let operationTypeName = ReductionOperation.cellTypeName

    static func install(into registry: Registry, communicator: any Communicator) {
        registry.constant(
            "rank", module: module, doc: "This rank's number in the cluster, 0..<worldSize.",
            .int(communicator.rank))
        registry.constant(
            "worldSize", module: module, doc: "The number of ranks in the cluster.",
            .int(communicator.size))
        registry.type(
            ReductionOperation.self, name: operationTypeName, kind: .value, module: module,
            doc: "How `allReduce` combines the ranks' values: `.sum`, `.mean` or `.max`."
        ) { type in
            for operation in ReductionOperation.allCases {
                type.staticProperty(
                    operation.rawValue, doc: "The \(operation.rawValue) over ranks."
                ) { [unowned info = type.info] in info.wrap(operation) }
            }
            type.description { $0.rawValue }
        }
        registry.function(
            "barrier", module: module,
            doc: "Waits until every rank has called `barrier()`.", returns: "Void"
        ) { arguments in
            try communicator.barrier(interrupted: interrupted(arguments))
            return .void
        }
        installAllReduce(into: registry, communicator: communicator)
        ClusterValueBindings.install(into: registry)
        ClusterTrialBindings.install(into: registry)
        let value = Param<Value>.positional("value")
        let root = Param<Int>.labelled("from", default: 0)
        registry.function(
            "broadcast", module: module,
            doc: """
                Rank `from`'s value on every rank (numbers, strings, arrays, dictionaries, \
                tensors); a model's weights are loaded into each rank's own model.

                ```swift
                broadcast(model, from: 0)       // the same initial weights everywhere
                let lr = broadcast(0.01 * Double(rank), from: 0)
                ```
                """,
            parameters: [value, root], returns: "Value"
        ) { arguments in
            let local = try arguments[value]
            let session = arguments.session
            var bytes =
                communicator.rank == (try arguments[root])
                ? try ValueTransfer.encode(local, session: session) : []
            try communicator.broadcast(
                &bytes, from: try arguments[root], interrupted: interrupted(arguments))
            return try ValueTransfer.decode(bytes, into: local, session: session)
        }
        registry.function(
            "gather", module: module,
            doc: "Every rank's value, in rank order, on every rank: `gather(loss)`.",
            parameters: [value], returns: "[Value]"
        ) { arguments in
            let session = arguments.session
            let bytes = try ValueTransfer.encode(try arguments[value], session: session)
            let all = try communicator.allGather(bytes, interrupted: interrupted(arguments))
            return .array(
                try all.map { try ValueTransfer.decode($0, into: nil, session: session) })
        }
    }

    private static func installAllReduce(into registry: Registry, communicator: any Communicator) {
        let value = Param<Value>.positional("value")
        let operation = Param<ReductionOperation?>.labelled(
            "op", as: ReductionOperation.argumentKind.optional, default: .nilValue, shown: ".sum")
        registry.function(
            "allReduce", module: module,
            doc: """
                The element-wise sum, mean or maximum of a tensor (or number) over every rank, \
                on every rank.

                ```swift
                let total = allReduce(Tensor([1.0, 2.0]), op: .sum)   // [2, 4] on 2 ranks
                ```
                """,
            parameters: [value, operation], returns: "Tensor"
        ) { arguments in
            let op = try arguments[operation] ?? .sum
            let input = try arguments[value]
            let isNumber: Bool
            switch input {
            case .int, .double: isNumber = true
            default: isNumber = false
            }
            // The transport reads the input's own storage (which the caller's other values
            // may share, so it is never written) and writes the reduction straight into the
            // result's: no copy of the tensor.
            let local = try TensorConversion.float(try TensorConversion.tensor(from: input))
            let stop = interrupted(arguments)
            let result = try local.mappingFloats { source, result, owner in
                try communicator.allReduce(
                    source, into: result, owner: owner, op: op, interrupted: stop)
            }
            if isNumber, let first = result.scalars.first { return .double(Double(first)) }
            return try arguments.wrap(result)
        }
    }

    private static func interrupted(_ arguments: Arguments) -> () -> Bool {
        let flag = arguments.session.interruptFlag
        return { flag.isRaised }
    }
}
