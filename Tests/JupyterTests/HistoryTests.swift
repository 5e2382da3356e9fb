import Foundation
import KernelInterface
import Testing

@testable import Jupyter

@Suite struct HistoryTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.path
            + "/trainbook-history-\(UUID().uuidString)/history.jsonl"
    }

    @Test func storeAnswersTailRangeAndSearch() {
        let store = HistoryStore(path: nil, log: { _ in })
        #expect(store.session == 1)
        for (line, input) in ["1 + 2", "print a", "1 + 2", "11 + 22", "count"].enumerated() {
            store.add(line: line + 1, input: input, output: input.contains("+") ? "3" : nil)
        }
        #expect(store.entries(for: .tail(count: 2)).map(\.input) == ["11 + 22", "count"])
        #expect(store.entries(for: .tail(count: 0)).isEmpty)
        #expect(store.entries(for: .range(session: 1, start: 2, stop: 4)).map(\.line) == [2, 3])
        #expect(store.entries(for: .range(session: 0, start: 4, stop: nil)).map(\.line) == [4, 5])
        #expect(store.entries(for: .range(session: -1, start: 1, stop: nil)).isEmpty)
        let search = store.entries(for: .search(pattern: "1*2*", count: nil, unique: false))
        #expect(search.map(\.line) == [1, 3, 4])
        let unique = store.entries(for: .search(pattern: "1*2*", count: nil, unique: true))
        #expect(unique.map(\.line) == [3, 4])
        #expect(
            store.entries(for: .search(pattern: "1*2*", count: 2, unique: false)).map(\.line) == [
                3, 4,
            ])
        #expect(
            store.entries(for: .search(pattern: "print ?", count: nil, unique: false)).map(\.input)
                == ["print a"])
    }

    @Test func historySurvivesRestartsWithNewSessionNumbers() {
        let path = HistoryTests.temporaryPath()
        do {
            let first = HistoryStore(path: path, log: { _ in })
            #expect(first.session == 1)
            first.add(line: 1, input: "print one", output: nil)
            first.add(line: 2, input: "1 + 1", output: "2")
        }
        do {
            let empty = HistoryStore(path: path, log: { _ in })
            #expect(empty.session == 2)
        }
        let third = HistoryStore(path: path, log: { _ in })
        #expect(third.session == 3)
        third.add(line: 1, input: "count", output: nil)
        let all = third.entries(for: .tail(count: 10))
        #expect(
            all == [
                HistoryEntry(session: 1, line: 1, input: "print one"),
                HistoryEntry(session: 1, line: 2, input: "1 + 1", output: "2"),
                HistoryEntry(session: 3, line: 1, input: "count"),
            ])
        #expect(third.entries(for: .range(session: -2, start: 0, stop: nil)).count == 2)
    }

    @Test func historyFileIsCappedToTheNewestEntries() throws {
        let path = HistoryTests.temporaryPath()
        do {
            let first = HistoryStore(path: path, keptEntries: 3, log: { _ in })
            for line in 1...7 { first.add(line: line, input: "cell \(line)", output: nil) }
        }
        // 7 cells > 2 * 3: the file is rewritten with the newest 3, session numbers kept.
        let second = HistoryStore(path: path, keptEntries: 3, log: { _ in })
        #expect(second.session == 2)
        #expect(
            second.entries(for: .tail(count: 10)).map(\.input) == ["cell 5", "cell 6", "cell 7"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("cell 4"))
        let third = HistoryStore(path: path, keptEntries: 3, log: { _ in })
        #expect(third.session == 3)
        #expect(third.entries(for: .tail(count: 10)).count == 3)
    }

    @Test func aLongSessionKeepsOnlyTheNewestEntriesInMemory() throws {
        let path = HistoryTests.temporaryPath()
        let store = HistoryStore(path: path, keptEntries: 3, log: { _ in })
        for line in 1...100 { store.add(line: line, input: "cell \(line)", output: "\(line)") }
        let kept = store.entries(for: .tail(count: 1_000))
        #expect((3...6).contains(kept.count))
        #expect(kept.last?.input == "cell 100")
        #expect(store.entries(for: .range(session: 0, start: 1, stop: 50)).isEmpty)
        // The file still has every cell of the session.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"cell 1\"") && text.contains("\"cell 100\""))
    }

    @Test func theEntriesInMemoryHoldAtMostTheMemoryLimitOfText() throws {
        let path = HistoryTests.temporaryPath()
        var limits = HistoryStore.Limits()
        limits.maximumMemoryBytes = 100_000
        let store = HistoryStore(path: path, limits: limits, log: { _ in })
        let output = String(repeating: "o", count: 10_000)
        for line in 1...1_000 { store.add(line: line, input: "cell \(line)", output: output) }
        let kept = store.entries(for: .tail(count: 10_000))
        let bytes = kept.reduce(0) { $0 + $1.input.utf8.count + ($1.output?.utf8.count ?? 0) }
        #expect(bytes <= 100_000)
        #expect(kept.count >= 4)  // at least half the limit, in whole entries
        #expect(kept.last?.input == "cell 1000")
        // The file still has every cell; a new kernel reads back only what fits in memory.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"cell 1\"") && text.contains("\"cell 1000\""))
        let reopened = HistoryStore(path: path, limits: limits, log: { _ in })
        let reread = reopened.entries(for: .tail(count: 10_000))
        #expect(reread.count <= kept.count && reread.last?.input == "cell 1000")
    }

    @Test func aSingleCellOverTheMemoryLimitIsStillKept() {
        var limits = HistoryStore.Limits()
        limits.maximumMemoryBytes = 1_000
        let store = HistoryStore(path: nil, limits: limits, log: { _ in })
        store.add(line: 1, input: "small", output: nil)
        store.add(line: 2, input: String(repeating: "x", count: 5_000), output: nil)
        #expect(store.entries(for: .tail(count: 10)).map(\.line) == [2])
    }

    @Test func unreadableHistoryFileIsLoggedNotFatal() {
        let logged = Locked<[String]>([])
        let store = HistoryStore(path: "/proc/trainbook-cannot-write-here/history.jsonl") { line in
            logged.withLock { $0.append(line) }
        }
        store.add(line: 1, input: "x", output: nil)
        #expect(store.entries(for: .tail(count: 1)).map(\.input) == ["x"])
        #expect(!logged.value.isEmpty)
    }

    @Test func corruptLinesAreSkipped() throws {
        let path = HistoryTests.temporaryPath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = "{\"session\": 4, \"line\": 1, \"input\": \"ok\"}\nnot json\n{\"line\": 2}\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let store = HistoryStore(path: path, log: { _ in })
        #expect(store.session == 5)
        #expect(store.entries(for: .tail(count: 10)).map(\.input) == ["ok"])
    }

    @Test(arguments: [
        ("*", "", true), ("*", "anything", true), ("a?c", "abc", true), ("a?c", "ac", false),
        ("a*c", "abbbc", true), ("a*c", "abbbd", false), ("*b*", "abc", true), ("", "", true),
        ("", "x", false),
        ("print*", "print(\"hi\")", true), ("🐱?", "🐱x", true), ("**a", "bba", true),
    ])
    func globPatterns(pattern: String, text: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(text) == matches)
    }

    @Test func kernelServesHistoryRequestsAcrossRestarts() throws {
        let path = HistoryTests.temporaryPath()
        do {
            let kernel = try TestKernel(historyPath: path)
            _ = try kernel.execute("1 + 2")
            _ = try kernel.execute("print hidden", silent: true)
            _ = try kernel.execute("count")
            kernel.stop()
        }
        let kernel = try TestKernel(historyPath: path)
        _ = try kernel.execute("2 + 2")
        let tail = try kernel.request(
            .historyRequest, HistoryRequest(access: .tail(count: 3), includeOutput: true).json)
        let reply = try tail.decode(HistoryReply.self)
        #expect(
            reply.entries == [
                HistoryEntry(session: 1, line: 1, input: "1 + 2", output: "3"),
                HistoryEntry(session: 1, line: 2, input: "count", output: nil),
                HistoryEntry(session: 2, line: 1, input: "2 + 2", output: "4"),
            ])
        #expect(tail.content["history"]?.arrayValue?.first == [1, 1, ["1 + 2", "3"]])
        let search = try kernel.request(
            .historyRequest,
            HistoryRequest(access: .search(pattern: "*+*", count: nil, unique: true)).json)
        #expect(search.content["history"] == [[1, 1, "1 + 2"], [2, 1, "2 + 2"]])
    }
}
