import Testing

@testable import Tensor

@Suite struct QuantizationTests {
    @Test func conversionsRoundAndSaturate() throws {
        let x = try Tensor([-3.6, -0.5, 0.5, 1.5, 200, 300, .nan])
        #expect(try x.converted(to: .uint8).scalars == [0, 0, 0, 2, 200, 255, 0])
        #expect(try x.converted(to: .int8).scalars == [-4, 0, 0, 2, 127, 127, 0])
        #expect(try x.converted(to: .int32).scalars == [-4, 0, 0, 2, 200, 300, 0])
        let pixels = try Tensor([0, 255] as [UInt8], shape: [2])
        #expect(try (pixels.converted(to: .float32) * (1 / 255)).scalars == [0, 1])
        #expect(try pixels.transposed().converted(to: .int32).dtype == .int32)
    }

    @Test func symmetricPerTensorRoundTrip() throws {
        let x = try sample([4, 5], seed: 101)
        let q = try QuantizedTensor(quantizing: x)
        #expect(q.values.dtype == .int8)
        #expect(q.zeroPoints == [0])
        let bound = x.scalars.map { Swift.abs($0) }.max() ?? 0
        #expect(Swift.abs(q.scales[0] - bound / 127) < 1e-7)
        let restored = try q.dequantized().scalars
        for (a, b) in zip(restored, x.scalars) {
            #expect(Swift.abs(a - b) <= q.scales[0] / 2 + 1e-6)
        }
        #expect(q.byteCount == 20 + 8)
    }

    @Test func perChannelUsesOneScalePerChannel() throws {
        let x = try Tensor([1, -2, 100, 50], shape: [2, 2])
        let q = try QuantizedTensor(quantizing: x, axis: 0)
        #expect(q.scales.count == 2)
        expectClose(q.scales, [2 / 127, 100 / 127])
        expectClose(try q.dequantized().scalars, [1, -2, 100, 50], tolerance: 0.01)
        #expect(q.values.scalars == [64, -127, 127, 64])
    }

    @Test func affineFillsTheRange() throws {
        let x = try Tensor([0, 0.5, 1, 2])
        let q = try QuantizedTensor(quantizing: x, scheme: .affine)
        expectClose(q.scales, [2 / 255])
        #expect(q.zeroPoints == [-128])
        #expect(q.values.scalars.first == -128)
        #expect(q.values.scalars.last == 127)
        expectClose(try q.dequantized().scalars, x.scalars, tolerance: 0.005)
    }

    @Test func invalidPartsAreRejected() throws {
        let values = try Tensor([1, 2] as [Int8], shape: [2])
        #expect(throws: TensorError.self) {
            try QuantizedTensor(values: values, scales: [0], zeroPoints: [0])
        }
        #expect(throws: TensorError.self) {
            try QuantizedTensor(values: values, scales: [1, 1], zeroPoints: [0, 0])
        }
        #expect(throws: TensorError.self) {
            try QuantizedTensor(values: Tensor([1, 2]), scales: [1], zeroPoints: [0])
        }
    }

    @Test func fakeQuantizationPassesGradientsInsideTheRange() throws {
        let x = try Tensor([0.3, 1.0, 5.0, -5.0])
        let (value, g) = try valueWithGradient(at: x) { x in
            try x.fakeQuantized(scales: [0.02], zeroPoints: [0]).sum()
        }
        // 127 · 0.02 = 2.54: 5 and -5 clip to ±2.54 and ±2.56 … and get no gradient.
        expectClose([try value.scalarized()], [0.3 + 1.0 + 2.54 - 2.56])
        #expect(g.scalars == [1, 1, 0, 0])
    }
}
