import Dispatch
import Foundation
import KernelInterface
import Memory

/// IPython-style magics: `%time` / `%%time`, `%timeit` / `%%timeit`, `%who`, `%whos`,
/// `%reset`, `%seed N`, `%help [NAME]`, `%history`, `%blas`, and the magics libraries register
/// (`%progress rich|text|none`, see `Registry.magic`).
final class Magics {
    /// The language's own magics' names.
    static let builtinNames = [
        "time", "timeit", "who", "whos", "reset", "seed", "help", "history", "blas",
    ]

    /// Every magic's name in `registry`, for completion.
    static func names(in registry: Registry) -> [String] {
        builtinNames + Set(registry.magics.keys).union(registry.cellMagics.keys).sorted()
    }

    unowned let interpreter: CellInterpreter
    var session: Session { interpreter.session }

    init(interpreter: CellInterpreter) {
        self.interpreter = interpreter
    }

    /// The runner the compiler calls for magic lines.
    var runner: MagicRunner {
        { [unowned self] invocation throws(Failure) in try self.run(invocation) }
    }

    func run(_ invocation: MagicInvocation) throws(Failure) -> Value {
        let argument = invocation.argument.trimmingSpaces()
        switch invocation.name {
        case "time": return try time(invocation)
        case "timeit": return try timeit(invocation)
        case "who": return who()
        case "whos": return whos()
        case "reset":
            let names = session.globals.userNames
            let count = names.count
            // A struct's static values can hold instances of the struct, which hold the type:
            // emptied, the types are freed with the names.
            for name in names {
                if case .type(.structure(let type))? = session.globals.value(of: name) {
                    type.staticValues = [:]
                }
            }
            session.globals.removeAll()
            session.extensionMethods = [:]
            session.extensionProperties = [:]
            session.methodGeneration += 1
            session.installGlobals()
            // The names' values are freed: the library's cached buffers and the allocator's
            // free pages go back to the system.
            interpreter.releaseCachedMemory?()
            FreedMemory.returnToSystem()
            session.write("Removed \(count) name\(count == 1 ? "" : "s").\n")
            return .void
        case "seed":
            guard let seed = Int(argument) else {
                throw Failure(
                    .invalidValue("%seed needs an integer: %seed 42"), at: invocation.site)
            }
            session.reseed(UInt64(bitPattern: Int64(seed)))
            return .void
        case "help": return try help(argument, at: invocation.site)
        case "history": return history(argument)
        case "blas":
            // The library, version, kernels and threads tensor products run on.
            session.write(
                (interpreter.blasDescription?() ?? "No tensor library is bound to this interpreter.")
                    + "\n")
            return .void
        default:
            if invocation.isCell, let magic = session.registry.cellMagics[invocation.name] {
                return try magic(session, argument, invocation.site)
            }
            if let magic = session.registry.magics[invocation.name] {
                return try magic(session, argument, invocation.site)
            }
            throw Failure(
                .undefinedName(
                    "%" + invocation.name,
                    suggestion: Suggestion.closest(
                        to: invocation.name, in: Magics.names(in: session.registry)
                    ).map {
                        "%" + $0
                    }),
                at: invocation.site)
        }
    }

    // MARK: - Running code

    /// The source range a magic applies to: the rest of its line, or for a cell magic the
    /// lines after the first.
    private func codeRange(_ invocation: MagicInvocation) -> Range<Int> {
        let start = invocation.argumentStart
        let end = start + invocation.argument.unicodeScalars.count
        guard invocation.isCell else { return start..<end }
        var bodyStart = start
        let scalars = invocation.file.scalars
        while bodyStart < end, scalars[bodyStart] != "\n" { bodyStart += 1 }
        return min(bodyStart + 1, end)..<end
    }

    /// Compiles code of the cell (a range of it) as a cell of its own, ready to run.
    private func compile(_ invocation: MagicInvocation) throws(Failure) -> CompiledCell {
        var parser = Parser(file: invocation.file, range: codeRange(invocation))
        let statements = parser.parseStatements(until: { _ in false })
        if let diagnostic = parser.diagnostics.first {
            throw Failure(
                .syntax(diagnostic.message),
                at: SourceLocation(file: invocation.file, range: diagnostic.range))
        }
        let compiler = Compiler(session: session, file: invocation.file, magicRunner: runner)
        let compiled = compiler.compileCell(statements)
        if let problem = compiler.problems.first {
            throw Failure(
                problem.error, at: SourceLocation(file: invocation.file, range: problem.range))
        }
        return compiled
    }

    /// Runs compiled code once; returns its result.
    private func execute(_ compiled: CompiledCell) throws(Failure) -> Value {
        try compiled.run(in: session) ?? .void
    }

    // MARK: - %time and %timeit

    /// The code a `%time` / `%timeit` runs: compiled by the compiler in its block's scope, or
    /// here as a cell of its own.
    private func code(of invocation: MagicInvocation) throws(Failure) -> () throws(Failure) ->
        Value
    {
        if let body = invocation.body { return body }
        let compiled = try compile(invocation)
        return { [unowned self] () throws(Failure) -> Value in try execute(compiled) }
    }

    private func time(_ invocation: MagicInvocation) throws(Failure) -> Value {
        let run = try code(of: invocation)
        let cpuStart = CPUClock.now()
        let wallStart = DispatchTime.now().uptimeNanoseconds
        let result = try run()
        let wall = DispatchTime.now().uptimeNanoseconds - wallStart
        let cpu = CPUClock.now().minus(cpuStart)
        session.write(
            "CPU times: user \(Duration.text(cpu.user)), sys: \(Duration.text(cpu.system)), "
                + "total: \(Duration.text(cpu.user + cpu.system))\n"
                + "Wall time: \(Duration.text(Double(wall) / 1e9))\n")
        return result
    }

    private func timeit(_ invocation: MagicInvocation) throws(Failure) -> Value {
        var options = invocation.timeitOptions ?? TimeitOptions()
        var trimmed = invocation
        if !invocation.isCell, invocation.timeitOptions == nil {
            (options, trimmed) = TimeitOptions.parse(invocation)
        }
        let compiled = try code(of: trimmed)
        var loops = options.loops ?? 1
        if options.loops == nil {
            // Grow the loop count tenfold until one run takes at least 0.2 s.
            while true {
                let seconds = try measure(compiled, loops: loops)
                if seconds >= 0.2 || loops >= 10_000_000 || seconds * 10 > 2 { break }
                loops *= 10
            }
        }
        var perLoop: [Double] = []
        for _ in 0..<options.repeats {
            perLoop.append(try measure(compiled, loops: loops) / Double(loops))
        }
        let mean = perLoop.reduce(0, +) / Double(perLoop.count)
        let variance =
            perLoop.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(perLoop.count)
        let runs = options.repeats
        session.write(
            "\(Duration.text(mean)) ± \(Duration.text(variance.squareRoot())) per loop (mean ± std. dev. "
                + "of \(runs) run\(runs == 1 ? "" : "s"), \(loops) loop\(loops == 1 ? "" : "s") each)\n"
        )
        return .void
    }

    private func measure(_ compiled: () throws(Failure) -> Value, loops: Int) throws(Failure)
        -> Double
    {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<loops {
            if session.interruptFlag.isRaised { throw Failure(.interrupted, at: nil) }
            _ = try compiled()
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    // MARK: - Names

    private func who() -> Value {
        let names = session.globals.userNames.sorted()
        session.write(
            names.isEmpty
                ? "Interactive namespace is empty.\n" : names.joined(separator: "\t") + "\n")
        return .void
    }

    private func whos() -> Value {
        let names = session.globals.userNames.sorted()
        guard !names.isEmpty else {
            session.write("Interactive namespace is empty.\n")
            return .void
        }
        var rows = [["Variable", "Type", "Shape", "Memory", "Value"]]
        for name in names {
            guard let value = session.globals.value(of: name) else { continue }
            rows.append([
                name, value.typeName, shape(of: value),
                ByteCount(session.approximateBytes(of: value)).description,
                preview(of: value),
            ])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            lines.append(
                zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                    .joined(separator: "   ").trimmingSpaces())
            if index == 0 { lines.append(String(repeating: "-", count: widths.reduce(0, +) + 12)) }
        }
        session.write(lines.joined(separator: "\n") + "\n")
        return .void
    }

    /// The start of a value's description on one line, for `%whos`.
    private func preview(of value: Value) -> String {
        String(
            session.debugPreview(of: value, limit: 50).replacingOccurrences(of: "\n", with: " ")
                .prefix(50))
    }

    private func shape(of value: Value) -> String {
        switch value {
        case .array(let elements):
            if case .array(let inner)? = elements.first {
                return "[\(elements.count), \(inner.count)]"
            }
            return "[\(elements.count)]"
        case .dictionary(let dictionary): return "[\(dictionary.count)]"
        case .string(let text):
            return text.characterCountIfSmall.map { "[\($0)]" }
                ?? "\(ByteCount(text.utf8.count)) text"
        case .host(let object): return object.type.summarize?(value) ?? ""
        default: return ""
        }
    }

    // MARK: - %help and %history

    private func help(_ name: String, at site: SourceLocation) throws(Failure) -> Value {
        let text: String
        if name.isEmpty {
            text = HelpIndex(session: session).text
        } else {
            let chain = name.split(separator: ".").map(String.init)
            guard let described = Inspector(session: session).describe(chain, detailLevel: 1) else {
                throw Failure(
                    .undefinedName(
                        name,
                        suggestion: Suggestion.closest(to: name, in: session.globals.definedNames)),
                    at: site)
            }
            text = described
        }
        session.output.page(DocumentationText(text).mimeBundle)
        return .void
    }

    private func history(_ argument: String) -> Value {
        let numbered = argument.contains("-n")
        var lines: [String] = []
        for (index, cell) in session.history.enumerated() {
            lines.append(numbered ? "\(session.historyDropped + index + 1): \(cell)" : cell)
        }
        session.write(lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"))
        return .void
    }
}

/// `%timeit -n N -r R statement`.
struct TimeitOptions {
    var loops: Int?
    var repeats = 7

    static func parse(_ invocation: MagicInvocation) -> (TimeitOptions, MagicInvocation) {
        var options = TimeitOptions()
        // The argument keeps the blank after the magic's name: skip blanks before the options.
        let blanks = invocation.argument.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
        let optionText = String(
            String.UnicodeScalarView(invocation.argument.unicodeScalars.dropFirst(blanks)))
        var words = optionText.split(separator: " ", omittingEmptySubsequences: false)[...]
        var consumed = blanks
        while let word = words.first, word.hasPrefix("-"), words.count > 1 {
            let value = Int(words.dropFirst().first ?? "")
            if word == "-n", let value, value > 0 { options.loops = min(value, 100_000_000) }
            if word == "-r", let value, value > 0 { options.repeats = min(value, 100) }
            consumed +=
                word.unicodeScalars.count + 1 + (words.dropFirst().first?.unicodeScalars.count ?? 0)
                + 1
            words = words.dropFirst(2)
        }
        let rest = String(
            String.UnicodeScalarView(invocation.argument.unicodeScalars.dropFirst(consumed)))
        let trimmed = MagicInvocation(
            name: invocation.name, argument: rest,
            argumentStart: invocation.argumentStart + consumed,
            isCell: false, file: invocation.file, site: invocation.site)
        return (options, trimmed)
    }
}

/// Seconds written the way IPython writes them: `1.23 µs`, `45.6 ms`, `2.01 s`.
enum Duration {
    static func text(_ seconds: Double) -> String {
        let (scaled, unit): (Double, String) =
            seconds >= 1
            ? (seconds, "s")
            : seconds >= 1e-3
                ? (seconds * 1e3, "ms")
                : seconds >= 1e-6 ? (seconds * 1e6, "µs") : (seconds * 1e9, "ns")
        return String(format: scaled >= 100 ? "%.0f" : scaled >= 10 ? "%.1f" : "%.2f", scaled) + " "
            + unit
    }
}

/// The process's CPU time, user and system, in seconds.
struct CPUClock {
    var user: Double
    var system: Double

    static func now() -> CPUClock {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return CPUClock(
            user: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            system: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }

    func minus(_ other: CPUClock) -> CPUClock {
        CPUClock(user: user - other.user, system: system - other.system)
    }
}
