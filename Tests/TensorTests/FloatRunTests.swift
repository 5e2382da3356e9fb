import Testing

@testable import Tensor

@Suite struct FloatRunTests {
    /// Every length from 0 to 40 (the SIMD body, the overlapping tail, the 4-wide and scalar
    /// tails), at an unaligned offset, against plain loops; the guard floats around the
    /// target must stay untouched.
    @Test func runsOfEveryLengthMatchPlainLoops() {
        let source = (0..<48).map { Float($0) * 0.5 - 7 }
        for count in 0...40 {
            var target = [Float](repeating: 99, count: 48)
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    guard let from = from.baseAddress, let to = to.baseAddress else { return }
                    FloatRun.copy(from: from + 3, to: to + 1, count: count)
                }
            }
            #expect(Array(target[1..<(1 + count)]) == Array(source[3..<(3 + count)]))
            #expect(target[0] == 99 && target[1 + count] == 99, "copy of \(count)")

            var sums = [Float](repeating: 1, count: 48)
            source.withUnsafeBufferPointer { from in
                sums.withUnsafeMutableBufferPointer { to in
                    guard let from = from.baseAddress, let to = to.baseAddress else { return }
                    FloatRun.add(from + 5, onto: to + 2, count: count)
                    FloatRun.fill(to + 2 + count, with: -3, count: 3)
                }
            }
            #expect(Array(sums[2..<(2 + count)]) == source[5..<(5 + count)].map { $0 + 1 })
            #expect(Array(sums[(2 + count)..<(5 + count)]) == [-3, -3, -3])
            #expect(sums[1] == 1 && sums[5 + count] == 1, "add of \(count)")

            let total = source.withUnsafeBufferPointer { from in
                from.baseAddress.map { FloatRun.sum($0 + 1, count: count) } ?? .nan
            }
            // The values are multiples of 0.5 below 20: every partial sum is exact.
            #expect(total == source[1..<(1 + count)].reduce(0, +), "sum of \(count)")
        }
    }
}
