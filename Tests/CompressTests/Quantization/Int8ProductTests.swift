import CInt8Kernels
import NN
import Tensor
import Testing

@testable import Compress

/// oneDNN's int8 product against exact integer arithmetic, the C kernels against Swift
/// references, and a quantized dense layer against the float one within its rounding bound.
@Suite struct Int8ProductTests {
    @Test(arguments: [(1, 5, 3), (7, 33, 10), (64, 130, 17)])
    func theProductIsExactInteger(m: Int, k: Int, n: Int) throws {
        var generator = RandomGenerator(seed: UInt64(m * 1000 + k))
        let a = (0..<(m * k)).map { _ in UInt8(generator.next() % 256) }
        let w = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: Int(generator.next() % 255) - 127)
        }
        let zeroPoint = Int32(generator.next() % 256)
        let product = try Int8Product.multiply(
            Tensor(a, shape: [m, k]), zeroPoint: zeroPoint, Tensor(w, shape: [n, k]))
        #expect(product.dtype == .int32 && product.shape == [m, n])
        let values = try product.scalars(as: Int32.self)
        for row in 0..<m {
            for column in 0..<n {
                var expected: Int32 = 0
                for index in 0..<k {
                    expected +=
                        (Int32(a[row * k + index]) - zeroPoint) * Int32(w[column * k + index])
                }
                #expect(values[row * n + column] == expected, "C[\(row), \(column)]")
            }
        }
    }

    /// The convolutions' product `W · (B − zeroPoint)` on int8 columns is exact too, split
    /// over column blocks on one thread or several.
    @Test(arguments: [(1, 5, 3, 1), (7, 33, 10, 2), (16, 288, 121, 2)])
    func theColumnProductIsExactInteger(n: Int, k: Int, m: Int, threads: Int) throws {
        var generator = RandomGenerator(seed: UInt64(n * 1000 + k))
        let w = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: Int(generator.next() % 255) - 127)
        }
        let b = (0..<(k * m)).map { _ in Int8(truncatingIfNeeded: Int(generator.next() % 256)) }
        let zeroPoint = Int8(truncatingIfNeeded: Int(generator.next() % 256))
        var c = [Int32](repeating: -1, count: n * m)
        try w.withUnsafeBufferPointer { wBuffer in
            try b.withUnsafeBufferPointer { bBuffer in
                try c.withUnsafeMutableBufferPointer { cBuffer in
                    try Int8Product.multiplyColumns(
                        wBuffer, bBuffer, zeroPoint: zeroPoint, into: cBuffer, n: n, m: m, k: k,
                        threads: threads)
                }
            }
        }
        for row in 0..<n {
            for column in 0..<m {
                var expected: Int32 = 0
                for index in 0..<k {
                    expected +=
                        Int32(w[row * k + index])
                        * (Int32(b[index * m + column]) - Int32(zeroPoint))
                }
                #expect(c[row * m + column] == expected, "C[\(row), \(column)]")
            }
        }
    }

    @Test func wrongDtypesAndSizesAreErrors() throws {
        let a = try Tensor.zeros([2, 3], dtype: .uint8)
        #expect(throws: CompressError.self) {
            try Int8Product.multiply(a, zeroPoint: 0, Tensor.zeros([4, 2], dtype: .int8))
        }
        #expect(throws: CompressError.self) {
            try Int8Product.multiply(a, zeroPoint: 0, Tensor.zeros([4, 3]))
        }
        #expect(throws: CompressError.self) {
            try Int8Product.multiply(a, zeroPoint: 300, Tensor.zeros([4, 3], dtype: .int8))
        }
    }

    @Test func quantizingMatchesTheSwiftReference() throws {
        var generator = RandomGenerator(seed: 4)
        var values = try Tensor.uniform([1000], low: -3, high: 5, using: &generator).scalars
        values += [.nan, .infinity, -.infinity, 0.5, 1.5, 2.5, -0.5]
        let quantization = ActivationQuantization(low: -2, high: 4)
        let codes = try quantization.quantize(Tensor(values, shape: [values.count]))
        let got = try codes.scalars(as: UInt8.self)
        let inverse = 1 / quantization.scale
        for (value, code) in zip(values, got) {
            let expected =
                value.isNaN
                ? UInt8(quantization.zeroPoint)
                : UInt8(clamping: value * inverse + Float(quantization.zeroPoint))
            #expect(code == expected, "\(value)")
        }
    }

    @Test(arguments: [1, 15, 16, 17, 100])
    func minimumAndMaximumSkipNaNAndMatchTheSwiftReference(count: Int) throws {
        var generator = RandomGenerator(seed: UInt64(count))
        var values = try Tensor.uniform([count], low: -5, high: 5, using: &generator).scalars
        values[count / 2] = .nan
        var low: Float = 0
        var high: Float = 0
        tb_min_max(values, values.count, &low, &high)
        let finite = values.filter { !$0.isNaN }
        #expect(low == (finite.min() ?? .infinity))
        #expect(high == (finite.max() ?? -.infinity))
    }

    @Test func theEpiloguesMatchTheSwiftReference() throws {
        let (rows, columns) = (3, 5)
        let acc: [Int32] = (0..<(rows * columns)).map { Int32($0 * 37 % 101) - 50 }
        let scales: [Float] = [0.5, 0.25, 0.1, 1, 2]
        let bias: [Float] = [1, -1, 0.5, -3, 0]
        var floats = [Float](repeating: 0, count: rows * columns)
        tb_dequantize_rows(acc, &floats, rows, columns, scales, bias, 1)
        var codes = [UInt8](repeating: 0, count: rows * columns)
        tb_requantize_rows(acc, &codes, rows, columns, scales, bias, 10, 1)
        for index in acc.indices {
            let column = index % columns
            let real = Float(acc[index]) * scales[column] + bias[column]
            #expect(floats[index] == Swift.max(real, 0))
            #expect(codes[index] == UInt8(clamping: Swift.max(real + 10, 10)))
        }
    }

    @Test(arguments: [QuantizationMode.dynamic, .static])
    func aQuantizedDenseStaysWithinItsRoundingBound(mode: QuantizationMode) throws {
        var generator = RandomGenerator(seed: 9)
        let dense = try Dense(24, 7, seed: 2)
        let x = try Tensor.uniform([5, 24], low: -1, high: 2, using: &generator)
        let input =
            mode == .static
            ? ActivationQuantization(low: -1, high: 2) : try ActivationQuantization(rangeOf: x)
        let layer = try QuantizedDense(quantizing: dense, input: mode == .static ? input : nil)
        let got = try layer(x).scalars
        let expected = try dense(x).scalars
        let weight = dense.weight.value.scalars
        let weightScales = try layer.quantizedWeight().scales
        let xs = x.scalars
        for row in 0..<5 {
            for column in 0..<7 {
                // |x̂ŵ − xw| ≤ Σ |x|·δw + |w|·δx + δx·δw with δ = scale / 2.
                var bound: Float = 1e-4
                let dx = input.scale / 2
                let dw = weightScales[column] / 2
                for k in 0..<24 {
                    bound +=
                        Swift.abs(xs[row * 24 + k]) * dw + Swift.abs(weight[column * 24 + k]) * dx
                        + dx * dw
                }
                let error = Swift.abs(got[row * 7 + column] - expected[row * 7 + column])
                #expect(error <= bound, "[\(row), \(column)]: \(error) > \(bound)")
            }
        }
    }
}
