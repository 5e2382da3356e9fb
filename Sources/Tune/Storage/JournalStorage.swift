import Foundation
import KernelInterface

/// A study's journal: every event appended as one line of JSON to a file (as Optuna's
/// `JournalStorage`), replayed to rebuild the study after a restart.
///
/// Each event is written with a single `write` to a file opened for appending, so a crash
/// leaves at most a truncated last line: on reload that line is skipped with a warning (and cut
/// from the file before new events are appended); every line before it is kept. A damaged line
/// elsewhere is an error, never silently skipped. Trials found running on reload (the process
/// ended while they ran) are marked interrupted.
///
/// ```swift
/// let study = try Study(direction: .maximize, sampler: .tpe(seed: 1), storage: "runs/mlp.jsonl")
/// try study.optimize(trials: 20) { … }   // after a restart: the same line continues the study
/// ```
public final class JournalStorage {
    /// The file's path.
    public let path: String
    private var descriptor: Int32 = -1

    /// A journal at `path` (the file is opened by the study that uses it).
    public init(path: String) throws(TuneError) {
        guard !path.isEmpty else { throw .journal(path: path, message: "the path is empty") }
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends one event as a line.
    public func append(_ event: StudyEvent) throws(TuneError) {
        var bytes = event.json.jsonBytes()
        bytes.append(UInt8(ascii: "\n"))
        try write(bytes)
    }

    /// Reads the journal (creating it if absent), replays it into `study` and opens it for
    /// appending.
    func open(_ study: Study) throws(TuneError) {
        let (events, validLength, warning) = try read()
        if let warning { study.warnings.append(warning) }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true)
        }
        descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .journal(path: path, message: "cannot open for writing: \(errnoText())")
        }
        if warning != nil, ftruncate(descriptor, off_t(validLength)) != 0 {
            throw .journal(path: path, message: "cannot cut the truncated line: \(errnoText())")
        }
        guard let first = events.first else {
            try append(.studyCreated(directions: study.directions))
            return
        }
        guard case .studyCreated(let directions) = first else {
            throw .journal(path: path, message: "the first line is not a study header")
        }
        guard directions == study.directions else {
            throw .journal(
                path: path,
                message: "the journal's study has directions "
                    + "\(directions.map(\.rawValue)), not \(study.directions.map(\.rawValue))")
        }
        for (line, event) in events.enumerated().dropFirst() {
            try replay(event, into: study, line: line + 1)
        }
        for trial in study.trials where trial.state == .running {
            study.warnings.append(
                "trial \(trial.number) was running when the journal ended; marked interrupted")
            try study.finish(trial.number, state: .interrupted, values: [])
        }
    }

    private func replay(_ event: StudyEvent, into study: Study, line: Int) throws(TuneError) {
        func damaged(_ message: String) -> TuneError {
            .journal(path: path, message: "line \(line): \(message)")
        }
        switch event {
        case .studyCreated: throw damaged("a second study header")
        case .trialStarted(let number):
            guard number == study.trials.count else {
                throw damaged("trial \(number) out of order")
            }
            study.trials.append(TrialRecord(number: number))
        case .parameterSet(let number, let name, let distribution, let value):
            guard study.trials.indices.contains(number) else { throw damaged("no trial \(number)") }
            study.setParameter(name, value, distribution, trial: number)
        case .reported(let number, let step, let values):
            guard study.trials.indices.contains(number) else { throw damaged("no trial \(number)") }
            study.trials[number].intermediateValues[step] = values
        case .constrained(let number, let values):
            guard study.trials.indices.contains(number) else { throw damaged("no trial \(number)") }
            study.trials[number].constraints = values
        case .trialFinished(let number, let state, let values):
            guard study.trials.indices.contains(number) else { throw damaged("no trial \(number)") }
            study.trials[number].state = state
            study.trials[number].values = values
        case .trialTimed(let number, let seconds):
            guard study.trials.indices.contains(number) else { throw damaged("no trial \(number)") }
            study.trials[number].seconds = seconds
        case .trialWorker(let number, let worker):
            guard study.trials.indices.contains(number) else { throw damaged("no trial \(number)") }
            study.trials[number].worker = worker
        }
    }

    /// The events of the file, the length of its intact part, and a warning when its last line
    /// was truncated.
    func read() throws(TuneError) -> (events: [StudyEvent], validLength: Int, warning: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], 0, nil) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .journal(path: path, message: "cannot read the file")
        }
        let bytes = [UInt8](data)
        var events: [StudyEvent] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let line = bytes[start..<(end ?? bytes.count)]
            let event = (try? JSONValue(parsing: line)).flatMap(StudyEvent.init(json:))
            guard let event else {
                if end == nil {
                    let warning =
                        "journal \(path): line \(lineNumber) was cut short (a crash while "
                        + "writing?) and is skipped; the \(events.count) events before it are kept"
                    return (events, start, warning)
                }
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
                    start = (end ?? bytes.count) + 1
                    continue
                }
                throw .journal(path: path, message: "line \(lineNumber) is not a journal event")
            }
            events.append(event)
            start = (end ?? bytes.count) + 1
        }
        return (events, bytes.count, nil)
    }

    private func write(_ bytes: [UInt8]) throws(TuneError) {
        guard descriptor >= 0 else {
            throw .journal(path: path, message: "the journal is not open")
        }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Foundation.write(
                    descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .journal(path: path, message: "cannot append: \(errnoText())")
            }
            written += result
        }
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }
}
