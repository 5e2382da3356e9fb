/// Carries a remote trial's requests to the study that owns it and brings back the answers:
/// on a cluster rank, the Jupyter stdin channel to the kernel (protocol/cluster.md); in tests,
/// a study in the same process.
public protocol TrialChannel: AnyObject {
    /// Sends `request` and waits for the study's answer.
    ///
    /// - Throws: when the request cannot be carried (the cell was interrupted while waiting).
    func exchange(_ request: TrialRequest) throws -> TrialAnswer
}

/// The backend of a trial whose study is in another process: every question goes through
/// `channel` to that study (its sampler and pruner answer); the answers are mirrored in a
/// local record, so `trial.parameters` reads without a round trip.
///
/// ```swift
/// let remote = RemoteTrialBackend(number: 3, objectiveCount: 1, channel: kernel)
/// let rate = try remote.makeTrial().logUniform("rate", 1e-4...1e-1)   // the kernel's sampler chose it
/// try remote.finish([accuracy])
/// ```
public final class RemoteTrialBackend: TrialBackend {
    let objectiveCount: Int
    private let channel: any TrialChannel
    private var mirror: TrialRecord
    /// A failure of a request that cannot throw (`report`, `shouldPrune`, `constrain`), thrown
    /// by the next request that can.
    private var pendingError: (any Error)?

    /// A backend for trial `number` of a study with `objectiveCount` objectives.
    public init(number: Int, objectiveCount: Int, channel: any TrialChannel) {
        self.objectiveCount = objectiveCount
        self.channel = channel
        mirror = TrialRecord(number: number)
    }

    /// The trial an objective receives (make one per backend: it holds whether it was pruned).
    public func makeTrial() -> Trial {
        Trial(number: mirror.number, backend: self, relativeValues: [:])
    }

    /// Tells the study that the objective returned `values`: the trial's last request.
    ///
    /// - Throws: an earlier request's failure, the channel's, or `TuneError` when the study
    ///   refused (the trial is then failed there).
    public func finish(_ values: [Double]) throws {
        if let pendingError { throw pendingError }
        if case .refused(let message) = try channel.exchange(
            .finish(trial: mirror.number, values: values))
        {
            throw TuneError.invalidObjectiveValue(trial: mirror.number, message: message)
        }
    }

    // MARK: - TrialBackend

    func record(_ number: Int) -> TrialRecord { mirror }

    func suggest(_ name: String, _ distribution: Distribution, in trial: Trial)
        throws(TuneError) -> ParameterValue
    {
        if let value = mirror.parameters[name], mirror.distributions[name] == distribution {
            return value
        }
        let answer: TrialAnswer
        do {
            if let pendingError { throw pendingError }
            answer = try channel.exchange(
                .suggest(trial: mirror.number, name: name, distribution: distribution))
        } catch let error as TuneError {
            throw error
        } catch {
            throw .remote("trial.\(name): \(error)")
        }
        switch answer {
        case .value(let value):
            mirror.setParameter(name, value, distribution)
            return value
        case .refused(let message):
            throw .remote(message)
        case .prune, .done:
            throw .remote("the study answered trial.\(name) with \(answer.json)")
        }
    }

    func report(_ values: [Double], step: Int, in trial: Trial) {
        mirror.intermediateValues[step] = values
        send(.report(trial: mirror.number, step: step, values: values))
    }

    func shouldPrune(_ trial: Trial) -> Bool {
        // A study that cannot be reached stops the trial: its failure follows at `finish`.
        guard case .prune(let prune)? = send(.shouldPrune(trial: mirror.number)) else {
            return true
        }
        return prune
    }

    func constrain(_ values: [Double], in trial: Trial) {
        mirror.constraints = values
        send(.constrain(trial: mirror.number, values: values))
    }

    /// Objects stay in the process that made them: `trial.keep` on a rank keeps nothing in the
    /// study (pull the model with `cluster.pull` instead).
    func keep(_ object: Any, for number: Int) {}

    @discardableResult
    private func send(_ request: TrialRequest) -> TrialAnswer? {
        guard pendingError == nil else { return nil }
        do {
            let answer = try channel.exchange(request)
            if case .refused(let message) = answer {
                pendingError = TuneError.remote(message)
                return nil
            }
            return answer
        } catch {
            pendingError = error
            return nil
        }
    }
}
