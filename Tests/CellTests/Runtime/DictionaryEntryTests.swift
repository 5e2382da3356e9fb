import Testing

@testable import Cell

/// `d[k] = v`, `d[k, default: x] += y` and `d[k]![i] = v` change one entry, looked up once
/// (`DictionaryValue.modifyEntry`): an existing key keeps its place in the order, a new one goes
/// last, nil removes, and a failed change leaves the entry as it was.
@Suite struct DictionaryEntryTests {
    @Test func entriesKeepTheirPlaceAndNewOnesGoLast() {
        let harness = CellHarness()
        let run = harness.run(
            """
            var d: [String: Int] = [:]
            d["a"] = 1
            d["b"] = 2
            d["c"] = 3
            d["a"] = 10
            d["b", default: 0] += 5
            d["z", default: 100] += 1
            d["b"] = nil
            d["absent"] = nil
            d["b"] = 4
            print(d.keys, d["a"] ?? -1, d["b"] ?? -1, d["z"] ?? -1, d.count)
            """)
        #expect(
            run.stdout == "[\"a\", \"c\", \"z\", \"b\"] 10 4 101 4\n",
            "\(String(describing: run.error))")
    }

    @Test func nestedChangesAndFailuresLeaveTheEntry() {
        let harness = CellHarness()
        #expect(harness.run("var d = [\"x\": [1, 2], \"y\": [3]]").succeeded)
        #expect(harness.run("d[\"x\"]![1] = 20\nd[\"y\"]!.append(4)").succeeded)
        #expect(!harness.run("d[\"x\"]![9] = 0").succeeded)
        #expect(!harness.run("d[\"new\"]![0] = 0").succeeded)
        let run = harness.run("print(d.keys, d[\"x\"] ?? [], d[\"y\"] ?? [], d.count)")
        #expect(
            run.stdout == "[\"x\", \"y\"] [1, 20] [3, 4] 2\n", "\(String(describing: run.error))")
    }

    @Test func aSharedDictionaryDoesNotChange() {
        let harness = CellHarness()
        let run = harness.run(
            """
            var d = [1: 1, 2: 2]
            let e = d
            d[1] = 10
            d[3] = 3
            d[2] = nil
            print(d[1] ?? 0, d[2] ?? 0, d.count, e[1] ?? 0, e[2] ?? 0, e[3] ?? 0, e.count)
            """)
        #expect(run.stdout == "10 0 2 1 2 0 2\n", "\(String(describing: run.error))")
    }

    /// A new key whose change leaves nil or throws must not leave its position behind: the
    /// next insertion still lands on the right value.
    @Test func anAbandonedNewKeyLeavesNoTrace() {
        struct Refused: Error {}
        var dictionary = DictionaryValue()
        dictionary.modifyEntry(forKey: .int(1), fallback: nil) { $0 = .int(10) }
        dictionary.modifyEntry(forKey: .int(2), fallback: nil) { _ in }
        #expect(throws: Refused.self) {
            try dictionary.modifyEntry(forKey: .int(3), fallback: nil) { _ in throw Refused() }
        }
        #expect(throws: Refused.self) {
            try dictionary.modifyEntry(forKey: .int(1), fallback: nil) { value in
                value = .int(99)
                throw Refused()
            }
        }
        dictionary.modifyEntry(forKey: .int(4), fallback: .int(0)) { $0 = .int(40) }
        #expect(dictionary.count == 2)
        #expect(dictionary.keys == [.int(1), .int(4)])
        #expect(dictionary[.int(1)] == .int(99))
        #expect(dictionary[.int(4)] == .int(40))
        #expect(dictionary[.int(2)] == nil && dictionary[.int(3)] == nil)
    }
}
