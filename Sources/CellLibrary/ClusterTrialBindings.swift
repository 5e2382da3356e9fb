import Cell
import KernelInterface
import Tune

/// The rank's half of `study.optimize(trials:on: cluster)` (protocol/cluster.md): the kernel
/// sends a rank `_clusterTrial(number: 7, objectives: 1) { trial in … }`, the objective's own
/// source; the `Trial` it receives asks the kernel's study for every parameter, report and
/// trial-pruning decision over the Jupyter stdin channel, and its return value ends the trial
/// there. Only the kernel's cluster writes calls to it.
enum ClusterTrialBindings {
    static func install(into registry: Registry) {
        let number = Param<Int>.labelled("number")
        let objectives = Param<Int>.labelled("objectives")
        let objective = Param<Value>.positional(
            "objective", as: Value.argumentKind.described(type: "(Trial) -> Any"))
        registry.function(
            "_clusterTrial", module: CollectiveBindings.module,
            doc: """
                Runs trial `number` of the kernel's study on this rank; internal to \
                study.optimize(trials:on:).
                """,
            parameters: [number, objectives, objective], returns: "Void"
        ) { arguments in
            let session = arguments.session
            let remote = RemoteTrialBackend(
                number: try arguments[number], objectiveCount: try arguments[objectives],
                channel: KernelTrialChannel(session: session))
            let result = try session.call(
                try arguments[objective], [try session.wrap(remote.makeTrial())])
            try remote.finish(try StudyBindings.objectiveValues(result))
            return .void
        }
    }
}

/// A rank's way to the kernel's study: each request is the prompt of an `input_request` on the
/// stdin channel, each answer the value of the kernel's `input_reply`, both one JSON object.
final class KernelTrialChannel: TrialChannel {
    private let session: Session

    init(session: Session) {
        self.session = session
    }

    func exchange(_ request: TrialRequest) throws -> TrialAnswer {
        let text = try session.output.readInput(prompt: request.json.jsonString(), password: false)
        guard let json = try? JSONValue(parsing: text), let answer = TrialAnswer(json: json) else {
            throw TuneError.remote(
                "the kernel's answer to trial \(request.trial)'s request is not one: \(text)")
        }
        return answer
    }
}
