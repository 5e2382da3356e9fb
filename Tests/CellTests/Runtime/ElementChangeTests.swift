import Testing

@testable import Cell

/// `Value.storeElement`, `Value.changeElement` and `Value.combineIntElement`, the in-place changes behind the
/// compiler's `xs[i] = v` / `d[key] = v` fast path: a change never reaches a copy sharing the
/// storage, and a case they leave to the general path changes nothing.
@Suite struct ElementChangeTests {
    /// Whether `change` changed `value` (run outside `#expect`, which cannot take `inout`).
    private func changes(_ value: inout Value, _ change: (inout Value) -> Bool) -> Bool {
        change(&value)
    }

    @Test func storingIntoASharedArrayLeavesTheCopy() {
        var xs = Value.array([.int(1), .int(2)])
        let copy = xs
        #expect(changes(&xs) { $0.storeElement(.int(5), at: .int(1)) } == true)
        #expect(xs == .array([.int(1), .int(5)]))
        #expect(copy == .array([.int(1), .int(2)]))
    }

    @Test func storingIntoASharedDictionaryLeavesTheCopy() {
        var d = Value.dictionary(DictionaryValue([(.string("a"), .int(1))]))
        let copy = d
        #expect(changes(&d) { $0.storeElement(.int(2), at: .string("b")) } == true)
        #expect(changes(&d) { $0.storeElement(.int(3), at: .string("a")) } == true)
        guard case .dictionary(let changed) = d, case .dictionary(let kept) = copy else {
            Issue.record("not dictionaries")
            return
        }
        #expect(changed.keys == [.string("a"), .string("b")])
        #expect(changed.values == [.int(3), .int(2)])
        #expect(kept.keys == [.string("a")])
        #expect(kept.values == [.int(1)])
    }

    @Test func casesForTheGeneralPathChangeNothing() {
        var xs = Value.array([.int(1)])
        #expect(changes(&xs) { $0.storeElement(.int(5), at: .int(1)) } == false)
        #expect(changes(&xs) { $0.storeElement(.int(5), at: .int(-1)) } == false)
        #expect(changes(&xs) { $0.storeElement(.int(5), at: .string("a")) } == false)
        #expect(changes(&xs) { $0.combineIntElement(at: .int(0)) { _ in nil } } == false)
        #expect(xs == .array([.int(1)]))
        var d = Value.dictionary(DictionaryValue([(.int(1), .int(1))]))
        #expect(changes(&d) { $0.storeElement(.nilValue, at: .int(1)) } == false)
        #expect(d == .dictionary(DictionaryValue([(.int(1), .int(1))])))
    }

    /// `d[key] += n` and `d[key, default: x] += n` that overflow: reported, nothing changed
    /// (no entry changed, no key added).
    @Test func anOverflowingCombinationChangesNothing() {
        let original = DictionaryValue([(.int(1), .int(Int.max))])
        var d = Value.dictionary(original)
        var ran = 0
        let plusOne = { (entry: Int) -> Value? in
            ran += 1
            let (sum, overflow) = entry.addingReportingOverflow(1)
            return overflow ? nil : .int(sum)
        }
        #expect(changes(&d) { $0.combineIntElement(at: .int(1), plusOne) } == false)
        #expect(
            changes(&d) { $0.combineIntElement(at: .int(2), fallback: .int(Int.max), plusOne) }
                == false)
        #expect(ran == 2)
        #expect(d == .dictionary(original))
        guard case .dictionary(let kept) = d else {
            Issue.record("not a dictionary")
            return
        }
        #expect(kept.keys == [.int(1)])
        var text = Value.string("ab")
        #expect(changes(&text) { $0.storeElement(.string("x"), at: .int(0)) } == false)
        #expect(text == .string("ab"))
    }

    /// `grid[i][j] = v` and `d[k][j] = v` change the inner collection of this value only.
    @Test func changingANestedElementLeavesASharedCopy() {
        var grid = Value.array([.array([.int(1), .int(2)]), .array([.int(3)])])
        let gridCopy = grid
        #expect(
            changes(&grid) {
                $0.changeElement(at: .int(0)) { $0.storeElement(.int(9), at: .int(1)) }
            }
                == true)
        #expect(grid == .array([.array([.int(1), .int(9)]), .array([.int(3)])]))
        #expect(gridCopy == .array([.array([.int(1), .int(2)]), .array([.int(3)])]))
        var rows = Value.dictionary(DictionaryValue([(.string("a"), .array([.int(1)]))]))
        let rowsCopy = rows
        #expect(
            changes(&rows) {
                $0.changeElement(at: .string("a")) {
                    $0.combineIntElement(at: .int(0)) { .int($0 + 5) }
                }
            } == true)
        #expect(rows == .dictionary(DictionaryValue([(.string("a"), .array([.int(6)]))])))
        #expect(rowsCopy == .dictionary(DictionaryValue([(.string("a"), .array([.int(1)]))])))
        #expect(
            changes(&rows) {
                $0.changeElement(at: .string("b")) { $0.storeElement(.int(1), at: .int(0)) }
            }
                == false)
        #expect(rows == .dictionary(DictionaryValue([(.string("a"), .array([.int(6)]))])))
    }

    @Test func combiningChangesTheIntInPlace() {
        var xs = Value.array([.int(1), .int(2)])
        let copy = xs
        #expect(changes(&xs) { $0.combineIntElement(at: .int(1)) { .int($0 * 10) } } == true)
        #expect(xs == .array([.int(1), .int(20)]))
        #expect(copy == .array([.int(1), .int(2)]))
        var d = Value.dictionary(DictionaryValue([(.int(7), .int(1))]))
        #expect(changes(&d) { $0.combineIntElement(at: .double(7)) { .int($0 + 1) } } == true)
        #expect(d == .dictionary(DictionaryValue([(.int(7), .int(2))])))
    }
}
