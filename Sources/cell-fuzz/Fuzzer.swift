import Cell
import CellLibrary
import Dispatch
import Foundation
import KernelInterface

/// Runs the fuzzing campaign.
struct Fuzzer {
    let options: FuzzOptions

    func run() -> Int32 {
        var generator = ProgramGenerator(seed: options.seed)
        var mutator = Mutator(seed: options.seed &+ 0x5EED)
        var choice = SplitMix(seed: options.seed &+ 7)
        var interpreter = Fuzzer.makeInterpreter()
        let watchdog = Watchdog(hangLimit: options.hangLimit)
        var outcomes: [String: Int] = [:]
        var slowest = (seconds: 0.0, cell: "")
        let started = Date()
        for index in 0..<options.cells {
            if index % 250 == 0 { interpreter = Fuzzer.makeInterpreter() }
            let base =
                choice.int(in: 0...2) == 0
                ? Corpus.cells[choice.int(in: 0...(Corpus.cells.count - 1))] : generator.cell()
            let cell = choice.int(in: 0...1) == 0 ? mutator.mutate(base) : base
            watchdog.arm(interpreter, cell: cell, after: options.timeLimit)
            let cellStart = Date()
            let outcome = interpreter.execute(
                ExecutionRequest(code: cell, executionCount: index + 1), output: DiscardingSink())
            let seconds = Date().timeIntervalSince(cellStart)
            watchdog.disarm()
            if seconds > slowest.seconds { slowest = (seconds, cell) }
            switch outcome {
            case .success: outcomes["value", default: 0] += 1
            case .failure(let error): outcomes[error.name, default: 0] += 1
            }
            let cursor = choice.int(in: 0...cell.unicodeScalars.count)
            watchdog.arm(interpreter, cell: "[services] " + cell, after: options.timeLimit)
            _ = interpreter.complete(cell, cursor: cursor)
            _ = interpreter.isComplete(cell)
            _ = interpreter.inspect(cell, cursor: cursor, detailLevel: index % 2)
            watchdog.disarm()
            if options.verbose || (index + 1) % 2000 == 0 {
                print("cell-fuzz: \(index + 1) cells, \(Int(Date().timeIntervalSince(started))) s")
            }
        }
        print(
            "cell-fuzz: \(options.cells) cells (seed \(options.seed)) all ended in a value or an error"
        )
        for (name, count) in outcomes.sorted(by: { $0.value > $1.value }) {
            print("  \(name): \(count)")
        }
        print(String(format: "  slowest cell: %.3f s", slowest.seconds))
        if options.differentialCells > 0 {
            return DifferentialCampaign(options: options).run(watchdog: watchdog)
        }
        return 0
    }

    /// Prints `options.cells` cells of the campaign, one JSON string a line, without running
    /// them: `scripts/soak` feeds them to a real kernel.
    func emit() -> Int32 {
        var generator = ProgramGenerator(seed: options.seed)
        var mutator = Mutator(seed: options.seed &+ 0x5EED)
        var choice = SplitMix(seed: options.seed &+ 7)
        for _ in 0..<options.cells {
            let base =
                choice.int(in: 0...2) == 0
                ? Corpus.cells[choice.int(in: 0...(Corpus.cells.count - 1))] : generator.cell()
            let cell = choice.int(in: 0...1) == 0 ? mutator.mutate(base) : base
            print(String(decoding: JSONValue.string(cell).jsonBytes(), as: UTF8.self))
        }
        return 0
    }

    /// The configuration the fuzzer's interpreters run with.
    static var configuration: CellInterpreter.Configuration {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.memoryLimit = 512 << 20
        configuration.environment = { name in name == "HOME" ? "/nonexistent" : nil }
        return configuration
    }

    static func makeInterpreter() -> CellInterpreter {
        CellInterpreter(configuration: configuration)
    }
}

/// Interrupts a cell that runs past its time limit, and ends the process (reporting the cell)
/// if it still has not stopped long after: that is a hang.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var deadline: Date?
    private var interrupted = false
    private var interpreter: CellInterpreter?
    private var cell = ""
    private let hangLimit: Double

    init(hangLimit: Double) {
        self.hangLimit = hangLimit
        let thread = Thread { [self] in watch() }
        thread.start()
    }

    func arm(_ interpreter: CellInterpreter, cell: String, after seconds: Double) {
        lock.withLock {
            self.interpreter = interpreter
            self.cell = cell
            deadline = Date().addingTimeInterval(seconds)
            interrupted = false
        }
    }

    func disarm() {
        lock.withLock {
            deadline = nil
            interpreter = nil
        }
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.01)
            lock.withLock {
                guard let deadline else { return }
                let late = Date().timeIntervalSince(deadline)
                if late > 0, !interrupted {
                    interrupted = true
                    interpreter?.interrupt()
                }
                if late > hangLimit {
                    print(
                        "cell-fuzz: HANG: a cell did not stop \(hangLimit) s after its interrupt:")
                    print(cell)
                    exit(1)
                }
            }
        }
    }
}

/// An output sink that drops everything (and refuses input).
final class DiscardingSink: OutputSink {
    func write(_ text: String, to stream: StandardStream) {}
    func display(_ bundle: MimeBundle, id: String?) {}
    func updateDisplay(_ bundle: MimeBundle, id: String) {}
    func clearOutput(wait: Bool) {}
    func page(_ bundle: MimeBundle) {}
    func readInput(prompt: String, password: Bool) throws(InputError) -> String {
        throw .notAllowed
    }
}
