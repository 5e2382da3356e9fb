import Files
import Foundation
import KernelInterface

#if canImport(Glibc)
    import Glibc
#endif

/// The kernel's input history, kept on disk as JSON lines so that it survives restarts.
///
/// Each kernel run is a session, numbered one past the highest session in the file; the file
/// holds one line per session start (`{"session": 3, "started": date}`) and one per cell
/// (`{"session": 3, "line": 7, "input": "...", "output": "..."}`). The file is shared by every
/// kernel of the user: `HistoryFile` locks it, so kernels started together get distinct
/// session numbers and their lines never interleave.
///
/// A hostile or damaged file never stops the kernel: lines that are not JSON, or whose numbers
/// are out of range, are skipped (one log line says how many); only the newest
/// `maximumReadBytes` of the file are read at start, and an oversized file is compacted; a
/// cell's input and output are stored cut to `maximumInputBytes` and `maximumOutputBytes`.
/// Memory holds at most `2 * keptEntries` cells (the newest): history requests answer from
/// those, however long the session runs.
/// Used from the shell thread only.
final class HistoryStore {
    /// How much a kernel keeps of what it stores.
    struct Limits {
        /// The entries kept when the file is compacted, and in memory (between this and twice
        /// this many, the newest).
        var keptEntries = 10_000
        /// The most of the file read at start (its tail); a longer file is compacted.
        var maximumReadBytes = 64 << 20
        /// A cell's input is stored cut to this many bytes.
        var maximumInputBytes = 1 << 20
        /// A cell's output is stored cut to this many bytes.
        var maximumOutputBytes = 64 << 10
        /// The most the entries kept in memory may hold (inputs and outputs, UTF-8 bytes):
        /// past it the oldest go, down to half of it. 20,000 cells of 64 KB outputs would
        /// otherwise keep 1.25 GiB; the file still has them.
        var maximumMemoryBytes = 64 << 20
    }

    /// The highest session or line number accepted from the file.
    static let maximumNumber = Int(Int32.max)

    /// The current session number.
    let session: Int
    private var entries: [HistoryEntry]
    /// The UTF-8 bytes of the inputs and outputs in `entries`.
    private var entryBytes = 0
    private let file: HistoryFile?
    private let log: @Sendable (String) -> Void
    let limits: Limits

    /// The entries kept when the file is compacted.
    var keptEntries: Int { limits.keptEntries }

    /// Opens (creating if needed) the history at `path`; nil keeps history in memory only.
    ///
    /// An unreadable or unwritable file is logged and history stays in memory: losing history
    /// must never stop the kernel. A file holding more than twice `keptEntries` cells, or
    /// larger than `maximumReadBytes`, is rewritten (atomically) with the newest `keptEntries`,
    /// so that it does not grow forever.
    convenience init(path: String?, keptEntries: Int, log: @escaping @Sendable (String) -> Void) {
        var limits = Limits()
        limits.keptEntries = keptEntries
        self.init(path: path, limits: limits, log: log)
    }

    /// Opens the history at `path` with `limits`; nil keeps history in memory only.
    init(path: String?, limits: Limits = Limits(), log: @escaping @Sendable (String) -> Void) {
        self.log = log
        var limits = limits
        limits.keptEntries = max(1, limits.keptEntries)
        self.limits = limits
        file = path.flatMap { HistoryFile.open($0, log: log) }
        var entries: [HistoryEntry] = []
        var lastSession = 0
        let started = Timestamp.now()
        var session = 1
        if let file {
            session = file.locked {
                let bytes = file.readTail(maximumBytes: limits.maximumReadBytes)
                let skipped = Self.read(bytes, into: &entries, lastSession: &lastSession)
                if skipped.count > 0 {
                    log(
                        "history: skipped \(skipped.count) invalid line(s) of \(file.path) (the first: \(skipped.first))"
                    )
                }
                if entries.count > 2 * limits.keptEntries || file.size > limits.maximumReadBytes {
                    entries.removeFirst(max(0, entries.count - limits.keptEntries))
                    file.replace(with: Self.compacted(entries, lastSession: lastSession))
                }
                let session = Self.next(after: lastSession, log: log)
                file.append(Self.line(["session": .int(session), "started": .string(started)]))
                return session
            }
        }
        self.entries = entries
        self.session = session
        entryBytes = entries.reduce(0) { $0 + $1.bytes }
        keepWithinMemoryLimits()
    }

    /// The session after `last`, which the file's validation keeps in range.
    private static func next(after last: Int, log: @Sendable (String) -> Void) -> Int {
        guard last < maximumNumber else {
            log("history: session numbers reached \(maximumNumber); numbering from 1 again")
            return 1
        }
        return last + 1
    }

    /// Records a cell of the current session (its input and output cut to the limits).
    func add(line: Int, input: String, output: String?) {
        let input = Self.cut(
            input, to: limits.maximumInputBytes,
            note: "\n// (cut by the history: the cell had \(input.utf8.count) bytes)")
        let output = output.map { Self.cut($0, to: limits.maximumOutputBytes, note: "…") }
        let entry = HistoryEntry(session: session, line: line, input: input, output: output)
        entries.append(entry)
        entryBytes += entry.bytes
        keepWithinMemoryLimits()
        var record: [String: JSONValue] = [
            "session": .int(session), "line": .int(line), "input": .string(input),
        ]
        if let output { record["output"] = .string(output) }
        let bytes = Self.line(record)
        guard let file else { return }
        file.locked { file.append(bytes) }
    }

    /// The file keeps every cell (until it is compacted at a start); memory keeps the newest
    /// `keptEntries` to `2 * keptEntries`, and at most `maximumMemoryBytes` of text, so that a
    /// long session does not grow without bound. Old entries go in batches (to `keptEntries`,
    /// to half the bytes), so adding a cell stays amortised O(1). The newest entry stays.
    private func keepWithinMemoryLimits() {
        var dropped = 0
        if entries.count > 2 * limits.keptEntries {
            dropped = entries.count - limits.keptEntries
        }
        if entryBytes > limits.maximumMemoryBytes {
            var left = entryBytes - entries[..<dropped].reduce(0) { $0 + $1.bytes }
            while left > limits.maximumMemoryBytes / 2, dropped < entries.count - 1 {
                left -= entries[dropped].bytes
                dropped += 1
            }
        }
        guard dropped > 0 else { return }
        entryBytes -= entries[..<dropped].reduce(0) { $0 + $1.bytes }
        entries.removeFirst(dropped)
    }

    /// `text` cut to at most `limit` UTF-8 bytes (at a character boundary) followed by
    /// `note`, or unchanged when it fits.
    static func cut(_ text: String, to limit: Int, note: String) -> String {
        guard text.utf8.count > limit else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
        // Back to the start of a scalar: UTF-8 continuation bytes are 0b10xxxxxx.
        while end > text.startIndex, text.utf8[end] & 0xC0 == 0x80 {
            end = text.utf8.index(before: end)
        }
        return String(text[..<end]) + note
    }

    /// The entries a history request asks for, oldest first.
    func entries(for access: HistoryRequest.Access) -> [HistoryEntry] {
        switch access {
        case .tail(let count):
            return Array(entries.suffix(max(0, count)))
        case .range(let requested, let start, let stop):
            let wanted = requested <= 0 ? session + requested : requested
            return entries.filter { entry in
                entry.session == wanted && entry.line >= start
                    && (stop.map { entry.line < $0 } ?? true)
            }
        case .search(let pattern, let count, let unique):
            let glob = GlobPattern(pattern)
            var matches = entries.filter { glob.matches($0.input) }
            if unique {
                var seen: Set<String> = []
                matches = matches.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            return count.map { Array(matches.suffix(max(0, $0))) } ?? matches
        }
    }

    /// Reads the JSON lines of `bytes` (split with `memchr`), appending their cells to
    /// `entries` and raising `lastSession` to the highest session seen; returns the lines
    /// skipped as invalid (their number and the first's line number and reason).
    private static func read(
        _ bytes: [UInt8], into entries: inout [HistoryEntry], lastSession: inout Int
    ) -> (count: Int, first: String) {
        var skipped = (count: 0, first: "")
        func skip(_ lineNumber: Int, _ reason: String) {
            if skipped.count == 0 { skipped.first = "line \(lineNumber): \(reason)" }
            skipped.count += 1
        }
        bytes.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var start = 0
            var lineNumber = 0
            while start < bytes.count {
                let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
                lineNumber += 1
                defer { start = end + 1 }
                guard end > start else { continue }
                guard let record = try? JSONValue(parsing: bytes[start..<end]) else {
                    skip(lineNumber, "not JSON")
                    continue
                }
                guard let session = record["session"]?.intValue,
                    (1...maximumNumber).contains(session)
                else {
                    skip(lineNumber, "no session number from 1 to \(maximumNumber)")
                    continue
                }
                guard let input = record["input"] else {
                    lastSession = max(lastSession, session)
                    continue
                }
                guard let text = input.stringValue, let number = record["line"]?.intValue,
                    (0...maximumNumber).contains(number)
                else {
                    skip(lineNumber, "a cell without a valid line number and input")
                    continue
                }
                lastSession = max(lastSession, session)
                entries.append(
                    HistoryEntry(
                        session: session, line: number, input: text,
                        output: record["output"]?.stringValue))
            }
        }
        return skipped
    }

    /// A whole file holding `entries`, after a line keeping `lastSession` the highest session
    /// number.
    private static func compacted(_ entries: [HistoryEntry], lastSession: Int) -> [UInt8] {
        var bytes = line([
            "session": .int(max(1, lastSession)), "compacted": .string(Timestamp.now()),
        ])
        for entry in entries {
            var record: [String: JSONValue] = [
                "session": .int(entry.session), "line": .int(entry.line),
                "input": .string(entry.input),
            ]
            if let output = entry.output { record["output"] = .string(output) }
            bytes += line(record)
        }
        return bytes
    }

    /// One JSON line.
    private static func line(_ record: [String: JSONValue]) -> [UInt8] {
        var bytes = JSONValue.object(record).jsonBytes()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}

extension HistoryEntry {
    /// The UTF-8 bytes of its input and output, what the store's memory limit counts.
    fileprivate var bytes: Int { input.utf8.count + (output?.utf8.count ?? 0) }
}
