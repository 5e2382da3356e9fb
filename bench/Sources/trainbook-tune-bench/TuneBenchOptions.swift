import Tune

/// The command line of `trainbook-tune-bench`:
/// `trainbook-tune-bench regret|overhead|pruning [--functions F,…] [--samplers S,…]
/// [--pruners P,…] [--seeds N] [--first-seed N] [--trials N] [--epochs N]`: every combination
/// of the lists, each for every seed.
struct TuneBenchOptions {
    /// What is measured.
    enum Task: String {
        /// The best value after each trial, per seed (the harness turns it into regret).
        case regret
        /// The time per trial spent outside the objective (sampler and study), per trial.
        case overhead
        /// Epochs used and best accuracy after each trial on a synthetic learning curve.
        case pruning
    }

    /// A sampler by name.
    enum SamplerName: String {
        case tpe, gp, random
    }

    /// A pruner by name.
    enum PrunerName: String {
        case none, hyperband, asha
    }

    var task: Task
    var functions = [TestFunction.branin]
    var samplers = [SamplerName.tpe]
    var pruners = [PrunerName.none]
    var seeds = 1
    var firstSeed = 0
    var trials = 20
    var epochs = 9

    static let usage = """
        usage: trainbook-tune-bench regret|overhead|pruning
                   [--functions branin,hartmann6,rosenbrock5c] [--samplers tpe,gp,random]
                   [--pruners none,hyperband,asha] [--seeds N] [--first-seed N] [--trials N]
                   [--epochs N]
        Prints one JSON object per line for each function, sampler, pruner and seed: the best
        value after each trial (regret; pruning, with the epochs used), or the CPU
        milliseconds each trial spent outside its objective (overhead).
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(TuneBenchError) {
        guard let first = arguments.first, let task = Task(rawValue: first) else {
            throw .usage("the first argument must be regret, overhead or pruning")
        }
        self.task = task
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--functions":
                functions = try Self.list(value, flag, "branin, hartmann6 or rosenbrock5c")
            case "--samplers": samplers = try Self.list(value, flag, "tpe, gp or random")
            case "--pruners": pruners = try Self.list(value, flag, "none, hyperband or asha")
            case "--seeds": seeds = try Self.integer(value, flag, minimum: 1)
            case "--first-seed": firstSeed = try Self.integer(value, flag, minimum: 0)
            case "--trials": trials = try Self.integer(value, flag, minimum: 1)
            case "--epochs": epochs = try Self.integer(value, flag, minimum: 1)
            default: throw .usage("unknown option \(flag)")
            }
        }
    }

    static func integer(_ text: String, _ flag: String, minimum: Int) throws(TuneBenchError) -> Int
    {
        guard let value = Int(text), value >= minimum else {
            throw .usage("\(flag) must be an integer ≥ \(minimum), got \(text)")
        }
        return value
    }

    static func list<Name: RawRepresentable<String>>(
        _ text: String, _ flag: String, _ allowed: String
    ) throws(TuneBenchError) -> [Name] {
        var names: [Name] = []
        for part in text.split(separator: ",") {
            guard let name = Name(rawValue: String(part)) else {
                throw .usage("\(flag) takes \(allowed), separated by commas, not \(part)")
            }
            names.append(name)
        }
        guard !names.isEmpty else { throw .usage("\(flag) needs at least one of \(allowed)") }
        return names
    }
}

/// One measured study's set-up: what it optimizes, how it samples and prunes, its seed.
struct TuneBenchCase {
    var function: TestFunction
    var sampler: TuneBenchOptions.SamplerName
    var pruner: TuneBenchOptions.PrunerName
    var seed: Int
    var trials: Int
    var epochs: Int

    /// The named sampler with seed `seed` (Optuna's default of 10 start-up trials).
    func makeSampler() -> any Sampler {
        let seed = UInt64(seed)
        switch sampler {
        case .tpe: return TPESampler(seed: seed)
        case .gp: return GPSampler(seed: seed)
        case .random: return RandomSampler(seed: seed)
        }
    }

    /// The named pruner for trials of `epochs` epochs (rungs from epoch 1, η = 3).
    func makePruner() -> any Pruner {
        switch pruner {
        case .none: return NoPruner()
        case .hyperband:
            return HyperbandPruner(minResource: 1, maxResource: epochs, reductionFactor: 3)
        case .asha:
            return SuccessiveHalvingPruner(
                minResource: 1, reductionFactor: 3, maxResource: epochs)
        }
    }
}

/// A wrong command line.
enum TuneBenchError: Error, CustomStringConvertible {
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message):
            return "trainbook-tune-bench: \(message)\n\(TuneBenchOptions.usage)"
        }
    }
}
