import Tensor
import Testing

@testable import Compress

/// Quantize/dequantize error bounds of each scheme, and the calibration methods' ranges.
@Suite struct QuantizationSchemeTests {
    private func values(_ count: Int, seed: UInt64, low: Float = -3, high: Float = 2) throws
        -> Tensor
    {
        var generator = RandomGenerator(seed: seed)
        return try Tensor.uniform([count], low: low, high: high, using: &generator)
    }

    @Test func symmetricPerChannelWeightsAreWithinHalfAStepAndZeroIsExact() throws {
        var generator = RandomGenerator(seed: 1)
        var weight = try Tensor.normal([6, 40], using: &generator).scalars
        weight[3] = 0
        let tensor = try Tensor(weight, shape: [6, 40])
        let quantized = try QuantizedTensor(quantizing: tensor, axis: 0, scheme: .symmetric)
        #expect(quantized.zeroPoints.allSatisfy { $0 == 0 })
        let back = try quantized.dequantized().scalars
        for row in 0..<6 {
            let bound = weight[(row * 40)..<(row * 40 + 40)].map(Swift.abs).max() ?? 0
            #expect(Swift.abs(quantized.scales[row] - bound / 127) <= 1e-7)
            for column in 0..<40 {
                let index = row * 40 + column
                #expect(
                    Swift.abs(back[index] - weight[index]) <= quantized.scales[row] / 2 * 1.0001)
            }
        }
        #expect(back[3] == 0)
    }

    @Test func symmetricAndAffinePerTensorAreWithinHalfAStep() throws {
        let x = try values(500, seed: 2)
        for scheme in [QuantizedTensor.Scheme.symmetric, .affine] {
            let quantized = try QuantizedTensor(quantizing: x, scheme: scheme)
            let back = try quantized.dequantized().scalars
            let step = quantized.scales[0]
            for (original, restored) in zip(x.scalars, back) {
                #expect(Swift.abs(original - restored) <= step / 2 * 1.0001, "\(scheme)")
            }
        }
    }

    @Test func affineUInt8ActivationsAreWithinHalfAStepInsideAndClippedOutside() throws {
        let quantization = ActivationQuantization(low: -1, high: 1.5)
        #expect(quantization.zeroPoint == 102)
        let x = try values(800, seed: 3, low: -2, high: 3)
        let back = try quantization.dequantize(quantization.quantize(x)).scalars
        let range = quantization.range
        for (original, restored) in zip(x.scalars, back) {
            let clipped = Swift.min(Swift.max(original, range.lowerBound), range.upperBound)
            #expect(Swift.abs(clipped - restored) <= quantization.scale / 2 * 1.0001)
        }
        #expect(try quantization.dequantize(quantization.quantize(Tensor([0]))).scalars == [0])
    }

    @Test func aRangeWithoutZeroIsWidenedToIncludeIt() {
        let positive = ActivationQuantization(low: 2, high: 4)
        #expect(positive.zeroPoint == 0 && positive.range.lowerBound == 0)
        let negative = ActivationQuantization(low: -4, high: -2)
        #expect(negative.zeroPoint == 255 && negative.range.upperBound == 0)
        let empty = ActivationQuantization(low: 0, high: 0)
        #expect(empty.scale == 1 && empty.zeroPoint == 0)
    }

    @Test func invalidParametersAreErrors() {
        #expect(throws: CompressError.self) { try ActivationQuantization(scale: 0, zeroPoint: 0) }
        #expect(throws: CompressError.self) { try ActivationQuantization(scale: 1, zeroPoint: 256) }
        #expect(throws: CompressError.self) {
            try ActivationQuantization(scale: .nan, zeroPoint: 0)
        }
    }

    @Test func calibrationMethodsChooseTheirRanges() throws {
        // 10,000 values uniform in [0, 1] plus one outlier at 8.
        var data = try values(10_000, seed: 4, low: 0, high: 1).scalars
        data.append(8)
        let tensor = try Tensor(data, shape: [data.count])
        for method in [CalibrationMethod.minMax, .percentile(99.9), .entropy] {
            let observer = RangeObserver(method: method)
            try observer.observe(tensor)
            let range = try observer.range(method)
            #expect(range.lowerBound >= 0 && range.lowerBound <= 0.01, "\(method)")
            switch method {
            case .minMax: #expect(range.upperBound == 8)
            case .percentile: #expect(range.upperBound > 0.99 && range.upperBound <= 1)
            case .entropy:
                // The smallest threshold TensorRT's search tries is 255 of 2048 bins: 0.996.
                #expect(range.upperBound > 0.95 && range.upperBound < 1.5)
            }
        }
        let observer = RangeObserver(method: .percentile(30))
        try observer.observe(tensor)
        #expect(throws: CompressError.self) { try observer.range(.percentile(30)) }
    }
}
