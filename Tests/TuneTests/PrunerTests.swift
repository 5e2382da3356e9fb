import Testing

@testable import Tune

/// Trial pruners on hand-made intermediate values, each against the worked example in its doc
/// comment.
@Suite struct PrunerTests {
    func record(_ number: Int, _ state: TrialState, _ reports: [Int: [Double]]) -> TrialRecord {
        var record = TrialRecord(number: number)
        record.state = state
        record.intermediateValues = reports
        return record
    }

    func history(_ trials: [TrialRecord], _ directions: [StudyDirection] = [.minimize])
        -> StudyHistory
    {
        StudyHistory(directions: directions, trials: trials)
    }

    @Test func medianRuleWorkedExample() {
        let pruner = MedianPruner(warmupSteps: 1, startupTrials: 3)
        let done = [1.0, 2.0, 3.0].enumerated().map { index, value in
            record(index, .complete, [0: [9], 1: [9], 2: [value]])
        }
        let worse = record(3, .running, [0: [4.0], 1: [3.5], 2: [2.5]])
        let better = record(3, .running, [0: [4.0], 1: [1.5], 2: [2.5]])
        let warmingUp = record(3, .running, [0: [40.0]])
        #expect(pruner.shouldPrune(worse, in: history(done + [worse])))
        #expect(!pruner.shouldPrune(better, in: history(done + [better])))
        #expect(!pruner.shouldPrune(warmingUp, in: history(done + [warmingUp])))
        // Too few complete trials: never.
        #expect(!pruner.shouldPrune(worse, in: history(Array(done.prefix(2)) + [worse])))
        // Maximizing flips the comparison: 2.5 beats the median 2.0.
        #expect(!pruner.shouldPrune(worse, in: history(done + [worse], [.maximize])))
    }

    @Test func successiveHalvingWorkedExample() {
        let pruner = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        #expect([0, 1, 2].map(pruner.rungStep) == [1, 3, 9])
        let others = [0.5, 0.4, 0.3, 0.6, 0.7].enumerated().map { index, value in
            record(index, .pruned, [0: [1], 1: [value]])
        }
        let slow = record(5, .running, [0: [0.1], 1: [0.45]])
        let fast = record(5, .running, [0: [0.9], 1: [0.35]])
        #expect(pruner.shouldPrune(slow, in: history(others + [slow])))
        #expect(!pruner.shouldPrune(fast, in: history(others + [fast])))
        // Between rungs nothing is judged, and a passed rung is not judged again.
        let between = record(5, .running, [0: [0.9], 1: [0.35], 2: [5]])
        #expect(!pruner.shouldPrune(between, in: history(others + [between])))
        // The first trial at a rung always goes on.
        let alone = record(0, .running, [1: [100]])
        #expect(!pruner.shouldPrune(alone, in: history([alone])))
        // A NaN at a rung stops the trial.
        let broken = record(5, .running, [1: [.nan]])
        #expect(pruner.shouldPrune(broken, in: history(others + [broken])))
    }

    @Test func successiveHalvingAtTheSecondRung() {
        // Rung at step 3 with η = 2: of four values, ⌊4/2⌋ = 2 go on.
        let pruner = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        #expect(pruner.rungStep(1) == 2)
        let others = [0.2, 0.8, 0.5].enumerated().map { index, value in
            record(index, .complete, [1: [0.1], 2: [value]])
        }
        let third = record(3, .running, [1: [0.0], 2: [0.6]])
        let second = record(3, .running, [1: [0.0], 2: [0.4]])
        #expect(pruner.shouldPrune(third, in: history(others + [third])))
        #expect(!pruner.shouldPrune(second, in: history(others + [second])))
    }

    @Test func hyperbandSplitsTrialsIntoBrackets() {
        let pruner = HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3)
        #expect(pruner.bracketCount == 3)
        #expect(pruner.bracketPruner(1).rungStep(0) == 3)
        // Budgets ⌈3·9/3⌉ = 9, ⌈3·3/2⌉ = 5, ⌈3/1⌉ = 3 of 17.
        var counts = [0, 0, 0]
        for number in 0..<1700 { counts[pruner.bracket(ofTrial: number)] += 1 }
        #expect(abs(counts[0] - 900) < 90 && abs(counts[1] - 500) < 75 && abs(counts[2] - 300) < 60)
        // A trial competes only within its bracket.
        let bracket0 = (0..<200).filter { pruner.bracket(ofTrial: $0) == 0 }
        let bracket2 = (0..<200).filter { pruner.bracket(ofTrial: $0) == 2 }
        let good = bracket0.prefix(5).map { record($0, .complete, [1: [0.1]]) }
        let candidate = record(bracket0[5], .running, [1: [0.5]])
        #expect(pruner.shouldPrune(candidate, in: history(good + [candidate])))
        // The same values in the most conservative bracket: no rung before step 9.
        let late = record(bracket2[0], .running, [1: [0.5]])
        #expect(!pruner.shouldPrune(late, in: history(good + [late])))
        // Other brackets' trials do not count.
        let other = bracket2.prefix(5).map { record($0, .complete, [1: [0.1]]) }
        #expect(!pruner.shouldPrune(candidate, in: history(other + [candidate])))
    }

    @Test func aTrialThatReachedMaxResourceIsNotPrunedAtTheLastRung() {
        // Bracket 0 of Hyperband(1, 9, 3) has rungs at 1, 3 and 9; step 9 is the whole budget.
        let pruner = HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3)
        let bracket0 = (0..<200).filter { pruner.bracket(ofTrial: $0) == 0 }
        let finished = bracket0.prefix(5).map {
            record($0, .complete, [1: [0.1], 3: [0.1], 9: [0.1]])
        }
        let last = record(bracket0[5], .running, [1: [0.1], 3: [0.1], 9: [0.5]])
        #expect(!pruner.shouldPrune(last, in: history(finished + [last])))
        // The rung before the end is still judged.
        let atThree = record(bracket0[5], .running, [1: [0.1], 3: [0.5]])
        #expect(pruner.shouldPrune(atThree, in: history(finished + [atThree])))
        // ASHA told the budget: the same; not told: it judges step 9 as a rung.
        let told = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3, maxResource: 9)
        let untold = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        #expect(!told.shouldPrune(last, in: history(finished + [last])))
        #expect(told.shouldPrune(atThree, in: history(finished + [atThree])))
        #expect(untold.shouldPrune(last, in: history(finished + [last])))
    }

    @Test func aHyperbandStudyCompletesTheTrialsThatRanTheirWholeBudget() throws {
        let study = Study(
            direction: .minimize, sampler: RandomSampler(seed: 4),
            pruner: HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3))
        try study.optimize(trials: 60) { trial in
            let x = try trial.uniform("x", 0...1)
            for step in 1...9 {
                trial.report(x + 1 / Double(step), step: step)
                if trial.shouldPrune { throw TrialPruned() }
            }
            return x
        }
        let fullLength = study.trials.filter { $0.lastStep == 9 }
        #expect(fullLength.count >= 10)
        #expect(fullLength.allSatisfy { $0.state == .complete })
        #expect(study.trials.contains { $0.state == .pruned })
    }

    @Test func multiObjectiveSuccessiveHalvingKeepsTheNonDominated() {
        let pruner = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        let front: [[Double]] = [[1, 5], [2, 4], [3, 3], [4, 2], [5, 1], [6, 6]]
        let others = front.enumerated().map { record($0, .complete, [1: $1]) }
        let both = history(others, [.minimize, .minimize])
        let dominating = record(6, .running, [1: [0.5, 0.5]])
        let dominated = record(6, .running, [1: [7, 7]])
        #expect(!pruner.shouldPrune(dominating, in: both))
        #expect(pruner.shouldPrune(dominated, in: both))
        // An extreme point of the front (infinite crowding distance) is among the ⌊7/3⌋ = 2.
        let extreme = record(6, .running, [1: [0.2, 9]])
        #expect(!pruner.shouldPrune(extreme, in: both))
        // Directions matter: maximizing both makes [7, 7] the best.
        let maximized = history(others, [.maximize, .maximize])
        #expect(!pruner.shouldPrune(dominated, in: maximized))
    }

    @Test func aPrunedStudyUsesFewerSteps() throws {
        let study = Study(
            direction: .minimize, sampler: .random(seed: 3),
            pruner: .successiveHalving(minResource: 1, reductionFactor: 3))
        try study.optimize(trials: 30) { trial in
            let x = try trial.uniform("x", 0...1)
            var loss = 1.0
            for step in 1...9 {
                loss = x + 1.0 / Double(step)
                trial.report(loss, step: step)
                if trial.shouldPrune { throw TrialPruned() }
            }
            return loss
        }
        let pruned = study.trials.filter { $0.state == .pruned }
        #expect(pruned.count >= 10)
        #expect(study.budgetUsed.fraction < 0.7)
        #expect(try study.best.value < 0.25)
        #expect(throws: TuneError.self) {
            try Study(directions: [.minimize, .minimize], pruner: .median()).optimize(trials: 1) {
                _ in [0.0, 0.0]
            }
        }
    }
}

/// MO-ASHA through a study: vectors reported per step, dominated trials stopped early.
@Suite struct MultiObjectivePruningTests {
    @Test func aMultiObjectiveStudyStopsDominatedTrialsEarly() throws {
        let study = try Study(
            directions: [.maximize, .minimize], sampler: .random(seed: 2),
            pruner: .successiveHalving(minResource: 1, reductionFactor: 3))
        try study.optimize(trials: 30, catch: false) { trial in
            let quality = try trial.uniform("quality", 0...1)
            let size = Double(try trial.int("size", 1...10))
            var accuracy = 0.0
            for epoch in 1...9 {
                accuracy = quality * (1 - 1 / Double(epoch + 1))
                trial.report([accuracy, size], step: epoch)
                if trial.shouldPrune { throw TrialPruned() }
            }
            return [accuracy, size]
        }
        let pruned = study.trials.filter { $0.state == .pruned }
        #expect(pruned.count >= 10)
        #expect(study.budgetUsed.fraction < 0.7)
        #expect(!study.paretoFront.isEmpty)
        // The trials that went on are the better ones: higher quality, at the same sizes.
        func meanQuality(_ trials: [TrialRecord]) -> Double {
            trials.compactMap { $0.parameters["quality"]?.doubleValue }.reduce(0, +)
                / Double(max(trials.count, 1))
        }
        let complete = study.trials.filter { $0.state == .complete }
        #expect(meanQuality(complete) > meanQuality(pruned) + 0.1)
    }
}
