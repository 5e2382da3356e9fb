import Data
import Tensor
import Testing

@Suite struct ShardTests {
    private func numbered(_ count: Int) throws -> Dataset {
        try Dataset(
            features: (0..<count).map(Float.init), elementShape: [1],
            labels: (0..<count).map { Int32($0 % 2) }, classNames: ["a", "b"], name: "n")
    }

    @Test func shardsAreStridedEqualAndDeterministic() throws {
        let data = try numbered(11)
        let shards = try (0..<3).map { try data.shard($0, of: 3) }
        #expect(shards.map(\.count) == [3, 3, 3])
        let first = try shards[0].batches(of: 3, shuffled: false).makeIterator().next()
        #expect(first?.x.scalars == [0, 3, 6])
        let second = try shards[1].batches(of: 3, shuffled: false).makeIterator().next()
        #expect(second?.x.scalars == [1, 4, 7])
        let again = try data.shard(1, of: 3).batches(of: 3, shuffled: false).makeIterator().next()
        #expect(again?.x.scalars == second?.x.scalars)
    }

    @Test func aShardThatDoesNotExistIsAnError() throws {
        let data = try numbered(4)
        #expect(throws: DataError.self) { try data.shard(2, of: 2) }
        #expect(throws: DataError.self) { try data.shard(-1, of: 2) }
        #expect(throws: DataError.self) { try data.shard(0, of: 0) }
    }
}
