/// Where a trial is: running, or how it ended.
public enum TrialState: Sendable, Hashable, CustomStringConvertible {
    /// The objective is running (or was, when the process died: see `interrupted`).
    case running
    /// The objective returned its value(s).
    case complete
    /// The trial was stopped early by the study's pruner (or threw `TrialPruned`).
    case pruned
    /// The objective threw; the error's text is kept.
    case failed(String)
    /// The study was interrupted while this trial ran (or the process ended before it finished).
    case interrupted

    /// Whether the trial has ended.
    public var isFinished: Bool { self != .running }

    /// The state's name: complete, pruned, failed, running, interrupted.
    public var name: String {
        switch self {
        case .running: return "running"
        case .complete: return "complete"
        case .pruned: return "pruned"
        case .failed: return "failed"
        case .interrupted: return "interrupted"
        }
    }

    /// The name, with a failure's message.
    public var description: String {
        if case .failed(let message) = self { return "failed: \(message)" }
        return name
    }
}
