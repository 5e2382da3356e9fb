import Testing

@testable import Tensor

@Suite struct ExtremaTests {
    let m: Tensor

    init() throws {
        m = try Tensor([3, 9, 1, 4, -2, 8], shape: [2, 3])
    }

    @Test func maxAndMinAlongAxes() throws {
        #expect(try m.max().scalarized() == 9)
        #expect(try m.min().scalarized() == -2)
        #expect(try m.max(alongAxes: [0]).scalars == [4, 9, 8])
        #expect(try m.min(alongAxes: [1]).scalars == [1, -2])
        #expect(try m.max(alongAxes: [1], keepDims: true).shape == [2, 1])
        #expect(try m.transposed().max(alongAxes: [0]).scalars == [9, 8])
        #expect(throws: TensorError.self) { try Tensor.zeros([0, 3]).max(alongAxes: [0]) }
    }

    @Test func argmaxAndArgmin() throws {
        #expect(try m.argmax(alongAxis: 1).scalars(as: Int32.self) == [1, 2])
        #expect(try m.argmin(alongAxis: 0).scalars(as: Int32.self) == [0, 1, 0])
        #expect(try m.argmax().scalars(as: Int32.self) == [1])
        #expect(try m.argmax().shape == [])
        #expect(try Tensor([1, 7, 7]).argmax().scalarized() == 1)  // first of the ties
        #expect(try m.argmax(alongAxis: 1, keepDims: true).shape == [2, 1])
    }

    @Test func statistics() throws {
        let x = try Tensor([1, 2, 3, 4])
        #expect(try x.variance().scalarized() == 1.25)
        expectClose(try x.variance(correction: 1).scalars, [5.0 / 3])
        expectClose(try x.standardDeviation().scalars, [Float(1.25).squareRoot()])
        expectClose(try x.norm().scalars, [Float(30).squareRoot()])
        #expect(try x.norm(p: 1).scalarized() == 10)
        #expect(try (-x).norm(p: .infinity).scalarized() == 4)
        expectClose(try x.norm(p: 3).scalars, [4.641_588_8])  // 100^(1/3)
        // Rows [3, 9, 1] and [4, -2, 8]: squared deviations 104/3 and 152/3, over 3.
        expectClose(try m.variance(alongAxes: [1]).scalars, [104 / 9, 152 / 9])
    }

    @Test func logSumExpIsStable() throws {
        let big = try Tensor([1000, 1000])
        expectClose(try big.logSumExp().scalars, [1000.693_147])  // 1000 + log 2
        let small = try Tensor([1, 2, 3])
        expectClose(try small.logSumExp().scalars, [3.407_605_9])  // 3 + log(1 + e⁻¹ + e⁻²)
    }

    @Test func gradients() throws {
        let x = try distinctSample([2, 3, 4], seed: 31)
        try checkGradients(at: [x]) { p in try p[0].max(alongAxes: [1]) }
        try checkGradients(at: [x]) { p in try p[0].min(alongAxes: [0, 2], keepDims: true) }
        try checkGradients(at: [x]) { p in try p[0].max() }
        try checkGradients(at: [x]) { p in try p[0].variance(alongAxes: [2]) }
        try checkGradients(at: [x]) { p in try p[0].standardDeviation(alongAxes: [0, 1]) }
        try checkGradients(at: [x]) { p in try p[0].norm(alongAxes: [1]) }
        try checkGradients(at: [x]) { p in try p[0].norm(p: 3) }
        try checkGradients(at: [x]) { p in try p[0].logSumExp(alongAxes: [2]) }
    }
}
