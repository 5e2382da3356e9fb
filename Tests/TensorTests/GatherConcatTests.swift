import Testing

@testable import Tensor

@Suite struct GatherConcatTests {
    let table: Tensor  // [[0, 1], [2, 3], [4, 5]]

    init() throws {
        table = try Tensor.arange(6).reshaped([3, 2])
    }

    @Test func gatherTakesSlicesAlongAnAxis() throws {
        let ids = try Tensor([2, 2, 0, 1] as [Int32], shape: [2, 2])
        let rows = try table.gather(ids, alongAxis: 0)
        #expect(rows.shape == [2, 2, 2])
        #expect(rows.scalars == [4, 5, 4, 5, 0, 1, 2, 3])
        let columns = try table.gather(Tensor([1, -2] as [Int32], shape: [2]), alongAxis: 1)
        #expect(columns.scalars == [1, 0, 3, 2, 5, 4])
        #expect(throws: TensorError.self) {
            try table.gather(Tensor([3] as [Int32], shape: [1]), alongAxis: 0)
        }
        #expect(throws: TensorError.self) { try table.gather(Tensor([0.5]), alongAxis: 0) }
    }

    @Test func gatherGradientAddsRepeatedRows() throws {
        let ids = try Tensor([2, 2, 0] as [Int32], shape: [3])
        let g = try gradient(at: table) { t in try t.gather(ids).sum() }
        #expect(g.scalars == [1, 1, 0, 0, 2, 2])
        try checkGradients(at: [try sample([3, 2], seed: 51)]) { p in
            try p[0].gather(ids, alongAxis: 0)
        }
        try checkGradients(at: [try sample([2, 3], seed: 52)]) { p in
            try p[0].gather(ids, alongAxis: 1)
        }
    }

    @Test func oneHot() throws {
        let labels = try Tensor([2, 0] as [Int32], shape: [2])
        let encoded = try Tensor.oneHot(labels, classCount: 3)
        #expect(encoded.shape == [2, 3])
        #expect(encoded.scalars == [0, 0, 1, 1, 0, 0])
        #expect(throws: TensorError.self) { try Tensor.oneHot(labels, classCount: 2) }
    }

    @Test func concatenateAndStack() throws {
        let a = try Tensor([1, 2, 3, 4], shape: [2, 2])
        let b = try Tensor([5, 6], shape: [1, 2])
        #expect(try Tensor.concatenate([a, b]).scalars == [1, 2, 3, 4, 5, 6])
        #expect(try Tensor.concatenate([a, a], alongAxis: 1).scalars == [1, 2, 1, 2, 3, 4, 3, 4])
        #expect(throws: TensorError.self) { try Tensor.concatenate([a, b], alongAxis: 1) }
        #expect(throws: TensorError.self) { try Tensor.concatenate([]) }
        let stacked = try Tensor.stack([a, a * 10], alongAxis: 1)
        #expect(stacked.shape == [2, 2, 2])
        #expect(stacked.scalars == [1, 2, 10, 20, 3, 4, 30, 40])
        #expect(throws: TensorError.self) { try Tensor.stack([a, b]) }
        let labels = try Tensor([1] as [Int32], shape: [1])
        #expect(try Tensor.concatenate([labels, labels]).scalars(as: Int32.self) == [1, 1])
    }

    @Test func concatenateGradients() throws {
        let a = try sample([2, 3], seed: 53)
        let b = try sample([1, 3], seed: 54)
        try checkGradients(at: [a, b]) { p in try Tensor.concatenate([p[0], p[1]]) }
        try checkGradients(at: [a, a]) { p in try Tensor.stack([p[0], p[1]], alongAxis: 2) }
    }
}
