import Testing

@testable import Cell

/// `DictionaryEntries`, the hash table behind `DictionaryValue`, against a model (a Swift
/// dictionary and an order list), and the copy-on-write of `DictionaryValue`'s storage: a
/// change through one copy never shows in another.
@Suite struct DictionaryStorageTests {
    /// Inserts, updates and removals (from the middle, the end and the front) of keys drawn from
    /// a small range, so that probe runs collide and removal has to mend them; after every step
    /// each key is found where the model has it.
    @Test func randomChangesMatchAModel() {
        var dictionary = DictionaryValue()
        var order: [Int] = []
        var model: [Int: Int] = [:]
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for step in 0..<4000 {
            let key = next(300)
            if next(3) == 0 {
                let removed = dictionary.removeValue(forKey: .int(key))
                #expect(removed == model[key].map(Value.int))
                if model.removeValue(forKey: key) != nil { order.removeAll { $0 == key } }
            } else {
                dictionary[.int(key)] = .int(step)
                if model.updateValue(step, forKey: key) == nil { order.append(key) }
            }
            if step % 97 == 0 || step > 3900 {
                #expect(dictionary.keys == order.map(Value.int))
                for probe in 0..<300 {
                    #expect(dictionary[.int(probe)] == model[probe].map(Value.int))
                }
            }
        }
        #expect(dictionary.count == model.count)
    }

    /// A dictionary grown to 3,000 entries, then emptied down to a few by removals from
    /// anywhere (each moving the later entries up): every key stays where the model has it,
    /// and the table shrinks with it instead of keeping its 8,192 slots.
    @Test func removalsFromALargeDictionaryMatchAModelAndShrinkTheTable() {
        var entries = DictionaryEntries()
        var order: [Int] = []
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for key in 0..<3000 {
            let value = Value.int(key * 10)
            _ = entries.update(value, forKey: .int(key))
            order.append(key)
        }
        #expect(entries.tableCapacity == 8192)
        while order.count > 5 {
            let key = order[next(order.count)]
            let position = entries.position(of: .int(key))
            #expect(position == order.firstIndex(of: key))
            if let position { #expect(entries.remove(at: position) == .int(key * 10)) }
            order.removeAll { $0 == key }
            if order.count % 211 == 0 || order.count < 40 {
                #expect(entries.keys == order.map(Value.int))
                #expect(entries.values == order.map { Value.int($0 * 10) })
                let positions = Dictionary(
                    uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
                for probe in 0..<3000 {
                    #expect(entries.position(of: .int(probe)) == positions[probe])
                }
                #expect(entries.tableCapacity <= Swift.max(8, order.count * 24))
            }
        }
        #expect(entries.tableCapacity == 32)
        _ = entries.update(.int(-1), forKey: .int(5000))
        #expect(entries.position(of: .int(5000)) == 5)
    }

    @Test func keysThatCompareEqualAreOneEntry() {
        var dictionary = DictionaryValue()
        dictionary[.int(1)] = .string("int")
        dictionary[.double(1.0)] = .string("double")
        dictionary[.double(1.5)] = .string("fraction")
        dictionary[.array([.int(2)])] = .string("array")
        dictionary[.array([.double(2.0)])] = .string("same array")
        dictionary[.string("a")] = .int(0)
        #expect(dictionary.count == 4)
        #expect(dictionary[.int(1)] == .string("double"))
        #expect(dictionary[.double(1.5)] == .string("fraction"))
        #expect(dictionary[.array([.int(2)])] == .string("same array"))
        #expect(dictionary[.int(2)] == nil)
    }

    @Test func everyChangeLeavesACopyAsItWas() throws {
        var original = DictionaryValue([(.int(1), .int(10)), (.int(2), .int(20))])
        let snapshot = original
        original[.int(3)] = .int(30)
        original[.int(1)] = .int(11)
        original.removeValue(forKey: .int(2))
        #expect(original.combineInt(forKey: .int(1), fallback: nil) { .int($0 + 1) })
        #expect(original.combineInt(forKey: .int(5), fallback: .int(50)) { .int($0 + 1) })
        #expect(!original.combineInt(forKey: .int(6), fallback: nil) { .int($0 + 1) })
        #expect(!original.combineInt(forKey: .int(7), fallback: .string("x")) { .int($0) })
        original.modifyEntry(forKey: .int(4), fallback: .int(0)) { $0 = .int(40) }
        #expect(original.keys == [.int(1), .int(3), .int(5), .int(4)])
        #expect(original.values == [.int(12), .int(30), .int(51), .int(40)])
        #expect(snapshot.keys == [.int(1), .int(2)])
        #expect(snapshot.values == [.int(10), .int(20)])
        #expect(snapshot[.int(2)] == .int(20))
        #expect(snapshot[.int(3)] == nil)

        var shared = snapshot
        let (keys, values) = shared.takeContents()
        #expect(keys.isEmpty && values.isEmpty)
        #expect(snapshot.values == [.int(10), .int(20)])
    }
}
