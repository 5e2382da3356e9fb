import Testing

@testable import NN

/// The ring allreduce's plan, run by a simulation of `ranks` processes exchanging chunks in
/// lock step, as `MPICommunicator` runs it over MPI (which the cluster tests check on 2 ranks).
@Suite struct RingScheduleTests {
    /// Every rank's result of reducing `inputs` (one array per rank) by the plan, each result
    /// written the way MPI's ring writes it: into a separate buffer, received chunks reduced with
    /// the rank's own input (never copied there first). Unwritten values stay NaN.
    static func simulate(_ inputs: [[Float]], op: (Float, Float) -> Float) -> [[Float]] {
        let plan = RingSchedule(count: inputs[0].count, ranks: inputs.count)
        var results = inputs.map { [Float](repeating: .nan, count: $0.count) }
        for step in 0..<plan.steps {
            let messages = (0..<plan.ranks).map { rank -> [Float] in
                let chunk = plan.chunk(plan.reduceScatter(step: step, rank: rank).send)
                return step == 0 ? Array(inputs[rank][chunk]) : Array(results[rank][chunk])
            }
            for rank in 0..<plan.ranks {
                let receive = plan.reduceScatter(step: step, rank: rank).receive
                let message = messages[plan.previous(of: rank)]
                for (offset, index) in plan.chunk(receive).enumerated() {
                    results[rank][index] = op(message[offset], inputs[rank][index])
                }
            }
        }
        for step in 0..<plan.steps {
            let messages = (0..<plan.ranks).map { rank in
                Array(results[rank][plan.chunk(plan.allGather(step: step, rank: rank).send)])
            }
            for rank in 0..<plan.ranks {
                let chunk = plan.chunk(plan.allGather(step: step, rank: rank).receive)
                results[rank].replaceSubrange(chunk, with: messages[plan.previous(of: rank)])
            }
        }
        if plan.ranks == 1 { results = inputs }
        return results
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7])
    func everyRankEndsWithTheSumOfEveryInput(ranks: Int) {
        for count in [0, 1, ranks - 1, ranks, 10, 37] {
            let inputs = (0..<ranks).map { rank in
                (0..<count).map { Float(rank * 1000 + $0) }
            }
            let expected = (0..<count).map { index in
                inputs.reduce(Float(0)) { $0 + $1[index] }
            }
            let results = Self.simulate(inputs, op: +)
            for result in results { #expect(result == expected, "\(ranks) ranks, \(count) values") }
        }
    }

    /// Each chunk is summed once, on one rank, and copied: the ranks agree to the bit even where
    /// float addition's order matters.
    @Test func theRanksAgreeBitForBit() {
        let inputs: [[Float]] = (0..<5).map { rank in
            (0..<23).map {
                Float(1e8) * Float(rank % 2 == 0 ? 1 : -1) + Float($0) / Float(rank + 3)
            }
        }
        let results = Self.simulate(inputs, op: +)
        for result in results.dropFirst() {
            #expect(result.map(\.bitPattern) == results[0].map(\.bitPattern))
        }
        let maxima = Self.simulate(inputs, op: { Swift.max($0, $1) })
        for (index, value) in maxima[0].enumerated() {
            #expect(value == inputs.map { $0[index] }.max())
        }
    }

    @Test func chunksCoverTheValuesInOrderWithTheRemainderFirst() {
        let plan = RingSchedule(count: 10, ranks: 3)
        #expect((0..<3).map(plan.chunk) == [0..<4, 4..<7, 7..<10])
        #expect(
            (0..<4).map(RingSchedule(count: 2, ranks: 4).chunk) == [0..<1, 1..<2, 2..<2, 2..<2])
        let first = plan.reduceScatter(step: 0, rank: 1)
        #expect(first.send == 1 && first.receive == 0)
        let gather = plan.allGather(step: 0, rank: 0)
        #expect(gather.send == 1 && gather.receive == 0)
        #expect(RingSchedule(count: 5, ranks: 0).steps == 0)
    }
}
