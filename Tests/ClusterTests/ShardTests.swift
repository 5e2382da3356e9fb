import Data
import Tensor
import Testing

@Suite struct ShardTests {
    private func numbered(_ count: Int) throws -> Dataset {
        try Dataset(
            features: (0..<count).map(Float.init), elementShape: [1],
            labels: (0..<count).map { Int32($0 % 2) }, classNames: ["a", "b"], name: "n")
    }

    private func firstBatch(_ set: Dataset) throws -> [Float]? {
        var iterator = try set.batches(of: 3, shuffled: false).makeIterator()
        return try iterator.next()?.x.scalars
    }

    @Test func shardsAreStridedEqualAndDeterministic() throws {
        let data = try numbered(11)
        let shards = try (0..<3).map { try data.shard($0, of: 3) }
        #expect(shards.map(\.count) == [3, 3, 3])
        #expect(try firstBatch(shards[0]) == [0, 3, 6])
        #expect(try firstBatch(shards[1]) == [1, 4, 7])
        #expect(try firstBatch(shards[2]) == [2, 5, 8])
        #expect(try firstBatch(data.shard(1, of: 3)) == [1, 4, 7])
    }

    @Test func aShardThatDoesNotExistIsAnError() throws {
        let data = try numbered(4)
        #expect(throws: DataError.self) { try data.shard(2, of: 2) }
        #expect(throws: DataError.self) { try data.shard(-1, of: 2) }
        #expect(throws: DataError.self) { try data.shard(0, of: 0) }
    }
}
