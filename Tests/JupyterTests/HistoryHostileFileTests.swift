import Dispatch
import Foundation
import KernelInterface
import Testing

@testable import Jupyter

#if canImport(Glibc)
    import Glibc
#endif

/// History files as a careless or hostile user leaves them: out-of-range numbers, garbage, a
/// named pipe, huge cells, and kernels that start together on one file.
@Suite struct HistoryHostileFileTests {
    /// A fresh history path whose file holds `text`.
    private func file(_ text: String) throws -> String {
        let path = HistoryTests.temporaryPath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        "{\"session\": 9223372036854775807, \"started\": \"x\"}",
        "{\"session\": 9223372036854775806, \"started\": \"x\"}",
        "{\"session\": -9223372036854775808, \"line\": 1, \"input\": \"x\"}",
        "{\"session\": 3, \"line\": 9223372036854775807, \"input\": \"x\"}",
        "{\"session\": 1e300}",
        "\u{0}\u{FF} garbage [[[[",
    ])
    func invalidLinesAreSkippedWithALogLineAndNumberingGoesOn(line: String) throws {
        let path = try file(line + "\n{\"session\": 2, \"line\": 1, \"input\": \"kept\"}\n")
        let logged = Locked<[String]>([])
        let log: @Sendable (String) -> Void = { text in logged.withLock { $0.append(text) } }
        for expected in 3...5 {
            let store = HistoryStore(path: path, log: log)
            #expect(store.session == expected)
            store.add(line: 1, input: "cell \(expected)", output: nil)
            #expect(store.entries(for: .tail(count: 1)).map(\.input) != [])
        }
        #expect(logged.value.contains { $0.contains("skipped 1 invalid line(s)") })
    }

    @Test func aNamedPipeIsRefusedWithoutBlocking() throws {
        let path = HistoryTests.temporaryPath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(mkfifo(path, 0o600) == 0)
        let logged = Locked<[String]>([])
        let store = HistoryStore(path: path) { text in logged.withLock { $0.append(text) } }
        store.add(line: 1, input: "x", output: nil)
        #expect(store.entries(for: .tail(count: 1)).map(\.input) == ["x"])
        #expect(logged.value.contains { $0.contains("not a regular file") })
    }

    @Test func hugeCellsAreStoredCut() throws {
        let path = HistoryTests.temporaryPath()
        var limits = HistoryStore.Limits()
        limits.maximumInputBytes = 1000
        limits.maximumOutputBytes = 100
        do {
            let store = HistoryStore(path: path, limits: limits, log: { _ in })
            store.add(
                line: 1, input: String(repeating: "é", count: 5000),
                output: String(repeating: "y", count: 5000))
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size < 2000)
        let store = HistoryStore(path: path, limits: limits, log: { _ in })
        let entry = try #require(store.entries(for: .tail(count: 1)).first)
        #expect(entry.input.hasPrefix(String(repeating: "é", count: 500)))
        #expect(entry.input.contains("cut by the history: the cell had 10000 bytes"))
        #expect(entry.output == String(repeating: "y", count: 100) + "…")
    }

    @Test func onlyTheTailOfAnOversizedFileIsReadThenTheFileIsCompacted() throws {
        var text = ""
        for line in 1...2000 {
            text += "{\"session\": 1, \"line\": \(line), \"input\": \"cell \(line)\"}\n"
        }
        let path = try file(text)
        var limits = HistoryStore.Limits()
        limits.maximumReadBytes = 4096
        let store = HistoryStore(path: path, limits: limits, log: { _ in })
        #expect(store.session == 2)
        let entries = store.entries(for: .tail(count: 10_000))
        #expect(entries.count < 200)
        #expect(entries.last?.input == "cell 2000")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size <= 4096 + 200)
    }

    @Test func kernelsStartingTogetherGetDistinctSessionsAndWholeLines() throws {
        let path = try file("{\"session\": 97, \"started\": \"earlier\"}\n")
        let count = 8
        let cells = 1000
        let sessions = Locked<[Int]>([])
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            Thread {
                ready.signal()
                go.wait()
                let store = HistoryStore(path: path, log: { _ in })
                sessions.withLock { $0.append(store.session) }
                for line in 1...cells {
                    store.add(
                        line: line, input: "session \(store.session) line \(line)", output: nil)
                }
                group.leave()
            }.start()
        }
        for _ in 0..<count { ready.wait() }
        for _ in 0..<count { go.signal() }
        group.wait()
        #expect(Set(sessions.value).count == count)
        #expect(sessions.value.allSatisfy { $0 > 97 })
        let reread = HistoryStore(path: path, keptEntries: 100_000, log: { _ in })
        let entries = reread.entries(for: .tail(count: 100_000))
        #expect(entries.count == count * cells)
        #expect(entries.allSatisfy { $0.input == "session \($0.session) line \($0.line)" })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in text.split(separator: "\n") {
            #expect((try? JSONValue(parsing: Array(line.utf8))) != nil)
        }
    }
}
