/// A hyperparameter search: the trials run so far and how the next ones are chosen (`sampler`)
/// and stopped early (`pruner`), optionally journalled to a file so it survives a restart.
///
/// ```swift
/// let study = Study(direction: .maximize, sampler: .tpe(seed: 1),
///                   pruner: .hyperband(minResource: 1, maxResource: 9))
/// try study.optimize(trials: 40) { trial in
///     let rate = try trial.logUniform("learningRate", 1e-4...1e-1)
///     return accuracy(rate)
/// }
/// try study.best.parameters["learningRate"]
/// ```
public final class Study {
    /// One direction per objective.
    public let directions: [StudyDirection]
    /// Chooses parameters.
    public let sampler: any Sampler
    /// Stops unpromising trials early.
    public let pruner: any Pruner
    /// Every trial, by number.
    public internal(set) var trials: [TrialRecord] = []
    /// Messages about the journal (a skipped truncated line, trials found running on reload).
    public internal(set) var warnings: [String] = []
    /// The journal, if the study has one.
    public let storage: JournalStorage?
    /// The distribution each parameter name was first asked with.
    var declared: [String: Distribution] = [:]
    /// Objects kept by `trial.keep`, by trial number.
    var kept: [Int: Any] = [:]
    /// When each running trial started, for its wall-clock duration.
    var startTimes: [Int: ContinuousClock.Instant] = [:]
    /// Set by `stop()`: the study stops after the running trial.
    var isStopRequested = false
    /// How `optimize` learns of the user's interrupt (the kernel's stop button).
    public var interruptHandling = InterruptHandling()
    /// Told every event as it happens (a live display); nil by default.
    public var observer: (any StudyObserver)?

    /// A single-objective study.
    ///
    /// - Parameters:
    ///   - direction: Whether the objective is minimized (a loss) or maximized (an accuracy).
    ///   - sampler: How parameters are chosen; random by default.
    ///   - pruner: How trials are stopped early; never by default.
    public convenience init(
        direction: StudyDirection = .minimize, sampler: some Sampler = RandomSampler(),
        pruner: some Pruner = NoPruner()
    ) {
        self.init(uncheckedDirections: [direction], sampler: sampler, pruner: pruner, storage: nil)
    }

    /// A multi-objective study (one direction per value the objective returns).
    public convenience init(
        directions: [StudyDirection], sampler: some Sampler = RandomSampler(),
        pruner: some Pruner = NoPruner()
    ) throws(TuneError) {
        guard !directions.isEmpty else {
            throw .invalidArgument(function: "Study", message: "give at least one direction")
        }
        self.init(uncheckedDirections: directions, sampler: sampler, pruner: pruner, storage: nil)
    }

    /// A study journalled to `storage` (a JSON-lines file): created if absent, else reloaded
    /// and continued where it stopped.
    public convenience init(
        direction: StudyDirection = .minimize, sampler: some Sampler = RandomSampler(),
        pruner: some Pruner = NoPruner(), storage: String
    ) throws(TuneError) {
        try self.init(directions: [direction], sampler: sampler, pruner: pruner, storage: storage)
    }

    /// A multi-objective study journalled to `storage`.
    public convenience init(
        directions: [StudyDirection], sampler: some Sampler = RandomSampler(),
        pruner: some Pruner = NoPruner(), storage: String
    ) throws(TuneError) {
        guard !directions.isEmpty else {
            throw .invalidArgument(function: "Study", message: "give at least one direction")
        }
        let journal = try JournalStorage(path: storage)
        self.init(
            uncheckedDirections: directions, sampler: sampler, pruner: pruner, storage: journal)
        try journal.open(self)
    }

    init(
        uncheckedDirections directions: [StudyDirection], sampler: any Sampler,
        pruner: any Pruner, storage: JournalStorage?
    ) {
        self.directions = directions
        self.sampler = sampler
        self.pruner = pruner
        self.storage = storage
    }

    /// The single direction (the first of a multi-objective study).
    public var direction: StudyDirection { directions.first ?? .minimize }

    /// What samplers and pruners read.
    public var history: StudyHistory { StudyHistory(directions: directions, trials: trials) }

    /// Stops the study after the running trial (from inside an objective), as Optuna's
    /// `study.stop()`; a later `optimize` continues.
    public func stop() { isStopRequested = true }

    func record(_ number: Int) -> TrialRecord { trials[number] }
}

/// How a study learns that the user interrupted it: a check called before each trial that
/// throws when an interrupt is pending, and a test telling the interrupt's error (rethrown by
/// the objective, from inside `fit` say) from the objective's own failures.
///
/// ```swift
/// study.interruptHandling = InterruptHandling(
///     check: session.checkInterrupt, recognizes: { $0 is KeyboardInterrupt })
/// ```
public struct InterruptHandling {
    /// Throws when an interrupt is pending.
    public var check: (() throws -> Void)?
    /// Whether an error thrown by the objective is the interrupt.
    public var recognizes: (any Error) -> Bool

    /// Interrupt handling from a check and a test (by default: none).
    public init(
        check: (() throws -> Void)? = nil,
        recognizes: @escaping (any Error) -> Bool = { _ in false }
    ) {
        self.check = check
        self.recognizes = recognizes
    }
}

/// Receives a study's events as they happen — trial started, parameter chosen, value reported,
/// trial finished — on the thread running `optimize`: what a live display of the study draws
/// (it should throttle its redraws itself, as `fit`'s observer does).
///
/// ```swift
/// final class Printer: StudyObserver {
///     func observe(_ event: StudyEvent, in study: Study) {
///         if case .trialFinished(let number, let state, _) = event { print(number, state) }
///     }
/// }
/// study.observer = Printer()
/// ```
public protocol StudyObserver: AnyObject {
    /// Handles one event; `study` already reflects it.
    func observe(_ event: StudyEvent, in study: Study)
}
