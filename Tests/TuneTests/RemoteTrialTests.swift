import Foundation
import KernelInterface
import Testing

@testable import Tune

/// A channel to a study in this process that carries every request and answer through its JSON
/// form, as the cluster's stdin channel does; it can be told to fail.
final class LoopbackTrialChannel: TrialChannel {
    struct Broken: Error {}

    let study: Study
    var trials: [Int: Trial] = [:]
    var requests: [TrialRequest] = []
    var isBroken = false

    init(study: Study) { self.study = study }

    func exchange(_ request: TrialRequest) throws -> TrialAnswer {
        if isBroken { throw Broken() }
        guard let carried = TrialRequest(json: try JSONValue(parsing: request.json.jsonString())),
            let trial = trials[carried.trial]
        else { return .refused("not a request") }
        requests.append(carried)
        let answer = study.answer(carried, for: trial)
        return TrialAnswer(json: try JSONValue(parsing: answer.json.jsonString())) ?? .refused("")
    }

    /// Starts a trial in the study and returns its remote twin.
    func start(worker: String) throws -> RemoteTrialBackend {
        let trial = try study.ask(worker: worker)
        trials[trial.number] = trial
        return RemoteTrialBackend(number: trial.number, objectiveCount: 1, channel: self)
    }
}

/// Trials whose objective runs elsewhere (a cluster rank): their questions go to the study's
/// sampler and pruner, and the study records what a local run would.
@Suite struct RemoteTrialTests {
    static func objective(_ trial: Trial) throws -> Double {
        let rate = try trial.logUniform("rate", 1e-4...1e-1)
        let units = try trial.int("units", 16...128, step: 16)
        let activation = try trial.choice("activation", ["relu", "gelu"])
        return rate * Double(units) + (activation == "relu" ? 1 : 0)
    }

    @Test func remoteTrialsGetWhatTheSamplerProposesInTheStudysProcess() throws {
        let local = Study(sampler: .random(seed: 11))
        try local.optimize(trials: 6) { trial in try Self.objective(trial) }

        let study = Study(sampler: .random(seed: 11))
        let channel = LoopbackTrialChannel(study: study)
        try study.prepareToAsk()
        // Two "ranks" run interleaved trials: 0 and 1 at once, then 2 and 3, …
        for pair in stride(from: 0, to: 6, by: 2) {
            let first = try channel.start(worker: "rank 0")
            let second = try channel.start(worker: "rank 1")
            let (a, b) = (first.makeTrial(), second.makeTrial())
            #expect(a.number == pair && b.number == pair + 1)
            let valueB = try Self.objective(b)
            let valueA = try Self.objective(a)
            try second.finish([valueB])
            try first.finish([valueA])
        }
        #expect(study.trials.map(\.parameters) == local.trials.map(\.parameters))
        #expect(study.trials.map(\.values) == local.trials.map(\.values))
        #expect(
            study.trials.map(\.worker) == [
                "rank 0", "rank 1", "rank 0", "rank 1", "rank 0", "rank 1",
            ])
        #expect(study.description.contains("worker"))
        #expect(study.description.contains("rank 1"))
    }

    @Test func reportsReachThePrunerAndItsAnswerComesBack() throws {
        let study = Study(direction: .maximize, pruner: .median(warmupSteps: 0, startupTrials: 1))
        let channel = LoopbackTrialChannel(study: study)
        try study.prepareToAsk()
        let good = try channel.start(worker: "rank 0")
        let trial = good.makeTrial()
        trial.report(0.9, step: 0)
        #expect(!trial.shouldPrune)
        try good.finish([0.9])

        let bad = try channel.start(worker: "rank 1")
        let badTrial = bad.makeTrial()
        badTrial.report(0.1, step: 0)
        #expect(badTrial.shouldPrune)
        #expect(badTrial.record.intermediateValues == [0: [0.1]])
        try bad.finish([0.1])
        #expect(study.trials[1].state == .pruned)
        #expect(study.trials[1].intermediateValues == [0: [0.1]])
        #expect(channel.requests.contains(.shouldPrune(trial: 1)))
    }

    @Test func aRefusedSuggestionThrowsTheStudysReason() throws {
        let study = Study()
        let channel = LoopbackTrialChannel(study: study)
        try study.prepareToAsk()
        let first = try channel.start(worker: "rank 0")
        _ = try first.makeTrial().uniform("x", 0...1)
        try first.finish([1])
        let second = try channel.start(worker: "rank 0").makeTrial()
        #expect(throws: TuneError.self) { try second.uniform("x", 0...2) }
        do {
            _ = try second.uniform("x", 0...2)
        } catch {
            #expect(error.description.contains("was declared as"))
        }
    }

    @Test func aLostChannelStopsTheTrialAndFailsItsFinish() throws {
        let study = Study()
        let channel = LoopbackTrialChannel(study: study)
        try study.prepareToAsk()
        let remote = try channel.start(worker: "rank 0")
        let trial = remote.makeTrial()
        _ = try trial.uniform("x", 0...1)
        channel.isBroken = true
        trial.report(1, step: 0)
        #expect(trial.shouldPrune)
        #expect(throws: LoopbackTrialChannel.Broken.self) { try remote.finish([1]) }
        try study.tell(channel.trials[0] ?? trial, failed: "rank 0 died")
        #expect(study.trials[0].state == .failed("rank 0 died"))
    }

    @Test func theJournalKeepsWhereEachTrialRan() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "remote-\(UUID().uuidString).jsonl"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let study = try Study(sampler: .random(seed: 4), storage: path)
        let channel = LoopbackTrialChannel(study: study)
        try study.prepareToAsk()
        for worker in ["rank 1", "rank 0"] {
            let remote = try channel.start(worker: worker)
            try remote.finish([try remote.makeTrial().uniform("x", 0...1)])
        }
        let reloaded = try Study(sampler: .random(seed: 4), storage: path)
        #expect(reloaded.trials.map(\.worker) == ["rank 1", "rank 0"])
        #expect(reloaded.trials == study.trials)
    }

    @Test func requestsAndAnswersSurviveTheirJSONForm() {
        let requests: [TrialRequest] = [
            .suggest(trial: 2, name: "rate", distribution: .float(1e-4...1e-1, log: true)),
            .suggest(trial: 2, name: "units", distribution: .int(16...128, step: 16, log: false)),
            .suggest(trial: 2, name: "act", distribution: .choice([.string("relu"), .int(3)])),
            .report(trial: 4, step: 3, values: [0.5, .infinity]),
            .shouldPrune(trial: 1), .constrain(trial: 0, values: [-1]),
            .finish(trial: 7, values: [.nan]),
        ]
        for request in requests {
            let back = TrialRequest(json: request.json)
            if case .finish(_, let values)? = back {
                #expect(values.count == 1 && values[0].isNaN)
            } else {
                #expect(back == request)
            }
        }
        let answers: [TrialAnswer] = [.value(.double(0.25)), .prune(true), .done, .refused("no")]
        for answer in answers { #expect(TrialAnswer(json: answer.json) == answer) }
        #expect(TrialRequest(json: ["protocol": "other", "trial": 1, "op": "shouldPrune"]) == nil)
    }
}
