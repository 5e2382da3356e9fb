import Testing

@testable import Tensor

@Suite struct SubscriptTests {
    let m: Tensor  // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]

    init() throws {
        m = try Tensor.arange(12).reshaped([3, 4])
    }

    @Test func singleIndicesDropTheAxis() throws {
        let row = try m[1]
        #expect(row.shape == [4])
        #expect(row.scalars == [4, 5, 6, 7])
        #expect(row.storage === m.storage)
        #expect(try m[1, 2].scalarized() == 6)
        #expect(try m[-1, -1].scalarized() == 11)
        #expect(try m[.all, 0].scalars == [0, 4, 8])
    }

    @Test func rangesAndStepsMakeViews() throws {
        #expect(try m[1..<3].scalars == [4, 5, 6, 7, 8, 9, 10, 11])
        #expect(try m[.all, .range(1, 3, step: 1)].scalars == [1, 2, 5, 6, 9, 10])
        #expect(try m[.all, .range(nil, nil, step: 2)].scalars == [0, 2, 4, 6, 8, 10])
        #expect(try m[.range(nil, nil, step: -1), 0].scalars == [8, 4, 0])
        #expect(try m[0, .range(3, 0, step: -2)].scalars == [3, 1])
        #expect(try m[0, .range(-2, nil, step: 1)].scalars == [2, 3])
        #expect(try m[TensorIndex(0...1), 0].scalars == [0, 4])
        #expect(try m[TensorIndex(2...), 3].scalars == [11])
        #expect(try m[2..<2].shape == [0, 4])
    }

    @Test func ellipsisAndNewAxis() throws {
        #expect(try m[.ellipsis, 1].scalars == [1, 5, 9])
        #expect(try m[.newAxis].shape == [1, 3, 4])
        #expect(try m[.all, .newAxis, 1].shape == [3, 1])
        #expect(throws: TensorError.self) { try m[.ellipsis, .ellipsis] }
    }

    @Test func indexTensorsGather() throws {
        let picked = try m[.indices(Tensor([2, 0, 2] as [Int32], shape: [3]))]
        #expect(picked.shape == [3, 4])
        #expect(picked.scalars == [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        let columns = try m[TensorIndex(1..<3), .indices(Tensor([3, 0] as [Int32], shape: [2]))]
        #expect(columns.scalars == [7, 4, 11, 8])
    }

    @Test func outOfRangeIndicesAreErrors() throws {
        do {
            _ = try m[3]
            Issue.record("expected an index error")
        } catch {
            #expect(
                error.description
                    == "subscript: index 3 is out of range for axis 0 of size 3 "
                    + "(valid indices are -3..<3)")
        }
        #expect(throws: TensorError.self) { try m[0, -5] }
        #expect(throws: TensorError.self) { try m[0..<4] }
        #expect(throws: TensorError.self) { try m[0, 0, 0] }
        #expect(throws: TensorError.self) { try m[.range(0, 2, step: 0)] }
        #expect(throws: TensorError.self) { try m[.indices(Tensor([3] as [Int32], shape: [1]))] }
    }

    @Test func updateWritesInPlaceWithoutTouchingCopies() throws {
        var x = m
        try x.update(at: [.all, TensorIndex(1..<3)], with: Tensor(-1))
        #expect(x.scalars == [0, -1, -1, 3, 4, -1, -1, 7, 8, -1, -1, 11])
        #expect(m.scalars == (0..<12).map(Float.init))
        try x.update(at: [0], with: Tensor([9, 9, 9, 9]))
        #expect(x.scalars[0..<4] == [9, 9, 9, 9])
        #expect(throws: TensorError.self) { try x.update(at: [0], with: Tensor([1, 2])) }
    }

    @Test func gradients() throws {
        let x = try sample([3, 4], seed: 41)
        try checkGradients(at: [x]) { p in try p[0][1] }
        try checkGradients(at: [x]) { p in try p[0][.all, .range(nil, nil, step: 2)] }
        try checkGradients(at: [x]) { p in try p[0][.range(nil, nil, step: -1), TensorIndex(1..<3)]
        }
        try checkGradients(at: [x]) { p in
            try p[0][.indices(Tensor([2, 0, 2] as [Int32], shape: [3]))]
        }
    }
}
