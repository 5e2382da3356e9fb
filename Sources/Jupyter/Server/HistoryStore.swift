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
/// (`{"session": 3, "line": 7, "input": "...", "output": "..."}`). Lines are appended with a
/// single `write` on an `O_APPEND` descriptor, so kernels sharing the file do not tear lines.
/// Used from the shell thread only.
final class HistoryStore {
    /// The current session number.
    let session: Int
    private var entries: [HistoryEntry]
    private let descriptor: Int32?
    private let log: @Sendable (String) -> Void

    /// The entries kept when the file is compacted.
    let keptEntries: Int

    /// Opens (creating if needed) the history at `path`; nil keeps history in memory only.
    ///
    /// An unreadable or unwritable file is logged and history stays in memory: losing history
    /// must never stop the kernel. A file holding more than twice `keptEntries` cells is
    /// rewritten (atomically) with the newest `keptEntries`, so that it does not grow forever.
    init(path: String?, keptEntries: Int = 10_000, log: @escaping @Sendable (String) -> Void) {
        self.log = log
        self.keptEntries = max(1, keptEntries)
        var entries: [HistoryEntry] = []
        var lastSession = 0
        var descriptor: Int32?
        if let path {
            if let data = FileManager.default.contents(atPath: path) {
                lastSession = Self.read(data, into: &entries)
            }
            if entries.count > 2 * self.keptEntries {
                entries.removeFirst(entries.count - self.keptEntries)
                Self.rewrite(path, entries: entries, lastSession: lastSession, log: log)
            }
            do {
                try AtomicFile.makeDirectory((path as NSString).deletingLastPathComponent)
                let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
                if opened >= 0 {
                    descriptor = opened
                } else {
                    log(
                        "history: cannot open \(path): \(String(cString: strerror(errno))); keeping it in memory"
                    )
                }
            } catch {
                log("history: \(error); keeping it in memory")
            }
        }
        self.entries = entries
        self.descriptor = descriptor
        self.session = lastSession + 1
        append(record: ["session": .int(session), "started": .string(Timestamp.now())])
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// Records a cell of the current session.
    func add(line: Int, input: String, output: String?) {
        entries.append(HistoryEntry(session: session, line: line, input: input, output: output))
        var record: [String: JSONValue] = [
            "session": .int(session), "line": .int(line), "input": .string(input),
        ]
        if let output { record["output"] = .string(output) }
        append(record: .object(record))
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

    /// Reads the JSON lines of `data` (split with `memchr`), appending their cells to
    /// `entries`; returns the highest session number seen.
    private static func read(_ data: Data, into entries: inout [HistoryEntry]) -> Int {
        var lastSession = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var start = 0
            while start < bytes.count {
                let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
                defer { start = end + 1 }
                guard end > start,
                    let record = try? JSONValue(parsing: bytes[start..<end]),
                    let session = record["session"]?.intValue
                else { continue }
                lastSession = max(lastSession, session)
                if let number = record["line"]?.intValue, let input = record["input"]?.stringValue {
                    entries.append(
                        HistoryEntry(
                            session: session, line: number, input: input,
                            output: record["output"]?.stringValue))
                }
            }
        }
        return lastSession
    }

    /// Replaces the file with `entries`, after a session line keeping `lastSession` the
    /// highest session number.
    private static func rewrite(
        _ path: String, entries: [HistoryEntry], lastSession: Int,
        log: @Sendable (String) -> Void
    ) {
        var bytes = JSONValue.object([
            "session": .int(lastSession), "compacted": .string(Timestamp.now()),
        ])
        .jsonBytes()
        bytes.append(UInt8(ascii: "\n"))
        for entry in entries {
            var record: [String: JSONValue] = [
                "session": .int(entry.session), "line": .int(entry.line),
                "input": .string(entry.input),
            ]
            if let output = entry.output { record["output"] = .string(output) }
            bytes += JSONValue.object(record).jsonBytes()
            bytes.append(UInt8(ascii: "\n"))
        }
        do {
            try AtomicFile.write(bytes, to: path, mode: 0o600)
        } catch {
            log("history: cannot compact \(path): \(error)")
        }
    }

    private func append(record: JSONValue) {
        guard let descriptor else { return }
        var bytes = record.jsonBytes()
        bytes.append(UInt8(ascii: "\n"))
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if written != bytes.count {
            log("history: write failed: \(String(cString: strerror(errno)))")
        }
    }
}
