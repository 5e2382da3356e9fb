// trainbook-tune-bench: the Tune library's side of the tuning benchmarks (bench/harness/
// tuning.py), in release builds. For each seed it runs a study and prints one JSON line: the
// best value after each trial (sampler quality), the milliseconds each trial spent outside its
// objective (overhead), or the epochs used and best accuracy after each trial on a synthetic
// learning curve (pruning). bench/peers/optuna_tune.py prints the same lines for Optuna.
import BenchSupport
import Foundation
import Tune

func runTuneBench() throws {
    let options = try TuneBenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
    for function in options.functions {
        for sampler in options.samplers {
            for pruner in options.pruners {
                for seed in options.firstSeed..<(options.firstSeed + options.seeds) {
                    let setUp = TuneBenchCase(
                        function: function, sampler: sampler, pruner: pruner, seed: seed,
                        trials: options.trials, epochs: options.epochs)
                    switch options.task {
                    case .regret: try regret(setUp).print()
                    case .overhead: try overhead(setUp).print()
                    case .pruning: try pruning(setUp).print()
                    }
                }
            }
        }
    }
}

/// The best value after each trial of a study minimizing the test function.
func regret(_ options: TuneBenchCase) throws -> JSONLine {
    let study = Study(direction: .minimize, sampler: options.makeSampler())
    var best = Double.infinity
    var trace: [Double] = []
    let start = ContinuousClock.now
    for _ in 0..<options.trials {
        try study.optimize(trials: 1, catch: false) { trial in
            let value = try options.function.evaluate(trial)
            best = min(best, value)
            return value
        }
        trace.append(best)
    }
    var line = header("regret", options)
    line.add("minimum", options.function.minimum)
    line.add("seconds", secondsSince(start))
    line.add("best", trace)
    return line
}

/// The CPU milliseconds each trial spent outside its objective (asking the sampler,
/// recording): CPU time of the process, not wall time, so that other work on a shared machine
/// does not count.
func overhead(_ options: TuneBenchCase) throws -> JSONLine {
    let study = Study(direction: .minimize, sampler: options.makeSampler())
    var milliseconds: [Double] = []
    for _ in 0..<options.trials {
        let start = processCPUSeconds()
        // The whole trial: the objective's own arithmetic is a few microseconds of it.
        try study.optimize(trials: 1, catch: false) { try options.function.evaluate($0) }
        milliseconds.append((processCPUSeconds() - start) * 1000)
    }
    var line = header("overhead", options)
    line.add("milliseconds", milliseconds)
    return line
}

/// Epochs used so far and the best complete trial's accuracy after each trial of a
/// TPE study on `LearningCurve`, pruned by `options.pruner`.
func pruning(_ options: TuneBenchCase) throws -> JSONLine {
    let study = Study(
        direction: .maximize, sampler: options.makeSampler(),
        pruner: options.makePruner())
    var epochs = 0
    var epochTrace: [Double] = []
    var bestTrace: [Double] = []
    var best = -Double.infinity
    var pruned = 0
    for _ in 0..<options.trials {
        var complete = false
        var last = Double.nan
        try study.optimize(trials: 1, catch: false) { trial in
            let curve = try LearningCurve(trial)
            for epoch in 1...options.epochs {
                epochs += 1
                last = curve.accuracy(afterEpoch: epoch)
                trial.report(last, step: epoch)
                if trial.shouldPrune { throw TrialPruned() }
            }
            complete = true
            return last
        }
        if complete { best = max(best, last) } else { pruned += 1 }
        epochTrace.append(Double(epochs))
        bestTrace.append(best)
    }
    var line = header("pruning", options)
    line.add("pruner", options.pruner.rawValue)
    line.add("pruned", pruned)
    line.add("epochs", epochTrace)
    line.add("best", bestTrace)
    return line
}

func header(_ event: String, _ options: TuneBenchCase) -> JSONLine {
    var line = JSONLine()
    line.add("event", event)
    line.add("library", "trainbook")
    line.add("function", options.function.rawValue)
    line.add("sampler", options.sampler.rawValue)
    line.add("seed", options.seed)
    line.add("trials", options.trials)
    return line
}

func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

do {
    try runTuneBench()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
