import Testing

@testable import Cell

/// `Value.storeElement` and `Value.combineIntElement`, the in-place changes behind the
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
        #expect(
            changes(&d) { $0.combineIntElement(at: .int(2)) { $0 + 1 == 0 ? nil : .int($0 + 1) } }
                == false)
        #expect(d == .dictionary(DictionaryValue([(.int(1), .int(1))])))
        var text = Value.string("ab")
        #expect(changes(&text) { $0.storeElement(.string("x"), at: .int(0)) } == false)
        #expect(text == .string("ab"))
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
