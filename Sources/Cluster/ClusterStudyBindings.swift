import Cell
import CellLibrary
import KernelInterface
import Tune

extension Cluster: HostArgument {
    /// `Cluster`.
    public static let cellTypeName = "Cluster"
}

/// `study.optimize(trials: 64, on: cluster) { trial in … }`: the trials spread over the ranks,
/// one per rank at a time, each in its rank's session, while the study (sampler, pruner,
/// journal) stays in the kernel (`Cluster.optimize`). The objective must be a closure literal:
/// its source is what the ranks run.
enum ClusterStudyBindings {
    static func install(into registry: Registry) {
        registry.type(Study.self, name: Study.cellTypeName, kind: .reference, doc: "") { type in
            let trials = Param<Int>.labelled("trials")
            let cluster = Param<Cluster>.labelled("on")
            let objective = Param<Value>.positional(
                "objective", as: Value.argumentKind.described(type: "(Trial) -> Any"))
            type.method(
                "optimize", parameters: [trials, cluster, objective], returns: "Study",
                doc: """
                    Runs `trials` more trials on the cluster's ranks, one per rank at a time, \
                    each in its rank's session (define data and functions there with %%cluster \
                    or cluster.push); parameters and trial pruning come from this study. A rank \
                    that dies fails its trial and the study goes on; the table's worker column \
                    names each trial's rank.
                    """
            ) { study, arguments in
                let session = arguments.session
                let count = try arguments[trials]
                guard count >= 0 else {
                    throw TuneError.invalidArgument(
                        function: "optimize", message: "trials must be ≥ 0, not \(count)")
                }
                let function = try arguments[objective]
                guard let source = session.closureSource(function) else {
                    throw ClusterError.usage(
                        "study.optimize(trials:on:) runs the objective on the ranks from its "
                            + "source: write it as a closure, { trial in … }, not \(function.typeName)"
                    )
                }
                let output = ClusterCellOutput(
                    write: { text, stream in session.write(text, to: stream) },
                    display: { bundle in session.display(bundle) })
                let display = StudyDisplay.make(for: session, study: study, trials: count)
                study.observer = display
                defer {
                    study.observer = nil
                    display?.finish()
                }
                let result = try (try arguments[cluster]).optimize(
                    study, trials: count, objective: source, output: output,
                    kernelHas: { session.hasGlobal($0) },
                    interrupted: { session.interruptFlag.isRaised })
                if result.interrupted { throw CellError.interrupted }
                return try arguments.wrap(study)
            }
        }
    }
}
