import Cell
import NN

/// `Distribution`: how `fit` spreads training over a cluster's ranks. `.dataParallel` (in a
/// `%%cluster` cell) trains each rank on its shard with gradients averaged over the ranks
/// (`DataParallel`); outside a cluster rank it explains where it works.
enum DistributionBindings {
    static func install(into registry: Registry, communicator: (any Communicator)?) {
        registry.type(
            DataParallel.self, name: DataParallel.cellTypeName, kind: .reference, module: "NN",
            doc: "How `fit` trains over a cluster's ranks: `distributed: .dataParallel`."
        ) { type in
            type.staticProperty(
                "dataParallel",
                doc: """
                    Data-parallel training (as PyTorch DDP): rank 0's weights to every rank at \
                    the start, gradients averaged over the ranks before every update (bucketed \
                    allreduce), epoch metrics reduced, progress on rank 0.
                    """
            ) { [unowned info = type.info] in
                guard let communicator else {
                    throw CellError.invalidValue(
                        "distributed: .dataParallel trains on the ranks of a cluster: start one "
                            + "with %cluster start N and run fit in a %%cluster cell")
                }
                return info.wrap(DataParallel(communicator: communicator))
            }
            type.method(
                "bucketSize", parameters: [Param<Int>.positional("elements")],
                returns: "Distribution",
                doc: "The same, with allreduce buckets of `elements` floats."
            ) { parallel, arguments in
                try arguments.session.wrap(
                    DataParallel(
                        communicator: parallel.communicator,
                        bucketElements: try arguments[Param<Int>.positional("elements")],
                        overlapsBackward: parallel.overlapsBackward))
            }
            type.method(
                "overlapped", parameters: [Param<Bool>.positional("overlaps")],
                returns: "Distribution",
                doc: """
                    The same, with the allreduces started during the backward pass (true, the \
                    default, as PyTorch DDP) or after it (false).
                    """
            ) { parallel, arguments in
                try arguments.session.wrap(
                    DataParallel(
                        communicator: parallel.communicator,
                        bucketElements: parallel.bucketElements,
                        overlapsBackward: try arguments[Param<Bool>.positional("overlaps")]))
            }
            type.property(
                "lastStepEvents", type: "[String]",
                doc: """
                    What the last overlapped training step did, in order: "gradient i \
                    complete" (i: the trainable parameter's index), "bucket k started", \
                    "backward ended", "bucket k reduced".
                    """
            ) { parallel in .array(parallel.lastStepEvents.map(Value.string)) }
            type.description { "DataParallel(\($0.communicator.size) ranks)" }
        }
    }
}
