import Data
import Foundation
import NN
import Tensor
import Testing

@testable import Compress

/// Post-training quantization of whole models: static (each calibration method) and dynamic,
/// used through predict, evaluate, summary, save(to:) and loadModel(from:) like any model.
@Suite struct QuantizedModelTests {
    /// A trained `2 → 64 → 64 → 3` MLP on the blobs and the data.
    private func trained() throws -> (Sequential, Dataset) {
        // Enough examples for the histograms of percentile and entropy calibration.
        var generator = RandomGenerator(seed: 1)
        let data = try Synthetic.blobs(centers: 3, pointsPerCenter: 300, using: &generator)
        let model = try CompressFixtures.mlp(hidden: 64)
        try model.fit(
            data, epochs: 3, batchSize: 32, optimizer: Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 5))
        return (model, data)
    }

    private func agreement(_ a: Tensor, _ b: Tensor) throws -> Double {
        let left = try a.argmax(alongAxis: 1).scalars
        let right = try b.argmax(alongAxis: 1).scalars
        return Double(zip(left, right).filter { $0 == $1 }.count) / Double(left.count)
    }

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("int8-\(UInt64.random(in: 0...UInt64.max))-\(name)").path
    }

    @Test(arguments: [CalibrationMethod.minMax, .percentile(99.99), .entropy])
    func staticQuantizationAgreesWithTheFloatModel(method: CalibrationMethod) throws {
        let (model, data) = try trained()
        let quantized = try quantize(model, calibration: data.prefix(600), method: method)
        let layers = quantized.namedLayers().compactMap { $0.layer as? QuantizedDense }
        #expect(layers.count == 3)
        #expect(layers.map(\.mode) == [.static, .static, .static])
        #expect(layers.map(\.requantizesOutput) == [true, true, false])
        let float = try model.predict(data)
        let int8 = try quantized.predict(data)
        #expect(int8.dtype == .float32 && int8.shape == float.shape)
        #expect(try agreement(float, int8) >= 0.95)
        let accuracy = try #require(model.evaluate(data)["accuracy"])
        let quantizedAccuracy = try #require(quantized.evaluate(data)["accuracy"])
        #expect(quantizedAccuracy >= accuracy - 0.05)
        // The float model is untouched.
        #expect(model.namedLayers().contains { $0.layer is Dense })
    }

    @Test func dynamicQuantizationNeedsNoCalibration() throws {
        let (model, data) = try trained()
        let quantized = try quantize(model, mode: .dynamic)
        let layers = quantized.namedLayers().compactMap { $0.layer as? QuantizedDense }
        #expect(layers.map(\.mode) == [.dynamic, .dynamic, .dynamic])
        #expect(try agreement(model.predict(data), quantized.predict(data)) >= 0.95)
    }

    @Test func aSavedInt8ModelLoadsBackWithIdenticalOutputsFromASmallerFile() throws {
        let (model, data) = try trained()
        let quantized = try quantize(model, calibration: data.prefix(40))
        let path = temporaryPath("q.safetensors")
        let floatPath = temporaryPath("f.safetensors")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: floatPath)
        }
        try quantized.save(to: path)
        try model.save(to: floatPath)
        let loaded = try loadModel(from: path)
        #expect(try loaded.predict(data).scalars == quantized.predict(data).scalars)
        let file = try SafeTensorsFile.read(path)
        #expect(file.tensors["0.weight"]?.dtype == .int8)
        #expect(file.tensors["0.weight_scale"]?.shape == [64])
        #expect(file.tensors["0.input_zero_point"]?.dtype == .float32)
        let size = try #require(
            FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let floatSize = try #require(
            FileManager.default.attributesOfItem(atPath: floatPath)[.size] as? Int)
        // 4,480 weights and 131 biases: the int8 file is well under half.
        #expect(Double(floatSize) / Double(size) > 2.2)
    }

    @Test func theSummaryListsTheInt8Layers() throws {
        let (model, data) = try trained()
        let quantized = try quantize(model, calibration: data.prefix(20))
        let summary = try quantized.summary(inputShape: [1, 2])
        let text = "\(summary)"
        #expect(text.contains("QuantizedDense"))
        #expect(text.contains("64 → 64, relu, int8 static"))
        #expect(summary.outputShape == [1, 3])
        // The int8 weights and float32 biases are the model's parameters, fixed, at their
        // own sizes: 2·64 + 64·64 + 64·3 weights of one byte, 64 + 64 + 3 biases of four.
        #expect(summary.parameterCount == model.parameterCount)
        #expect(summary.parameterCount == 2 * 64 + 64 * 64 + 64 * 3 + 64 + 64 + 3)
        #expect(summary.fixedParameterCount == summary.parameterCount)
        #expect(summary.trainableParameterCount == 0 && summary.frozenParameterCount == 0)
        #expect(summary.parameterBytes == (2 * 64 + 64 * 64 + 64 * 3) + 4 * (64 + 64 + 3))
        #expect(quantized.parameterByteCount == summary.parameterBytes)
        #expect(quantized.nonZeroParameterCount > summary.parameterCount / 2)
        let first = try #require(summary.rows.first)
        #expect(first.parameterCount == 2 * 64 + 64 && first.trainableState == .fixed)
        #expect(first.parameterBytes == 2 * 64 + 4 * 64 && first.parameterTypes == "int8 + float32")
        #expect(text.contains("int8 + float32") && text.contains("fixed"))
        // A float model's summary is unchanged: no bytes column, nothing fixed.
        let float = try model.summary(inputShape: [1, 2])
        #expect(!float.isQuantized && float.parameterBytes == 4 * float.parameterCount)
        #expect(!"\(float)".contains("Bytes"))
    }

    @Test func misuseIsAnErrorNotATrap() throws {
        let (model, data) = try trained()
        #expect(throws: CompressError.self) { try quantize(model) }
        #expect(throws: CompressError.self) {
            try quantize(Sequential { Flatten() }, mode: .dynamic)
        }
        let dynamic = try quantize(model, mode: .dynamic)
        #expect(throws: NNError.self) { try dynamic(Tensor.zeros([2, 2], dtype: .uint8)) }
        #expect(throws: NNError.self) { try dynamic(Tensor.zeros([2, 5])) }
        let quantized = try quantize(model, calibration: data.prefix(20))
        var state = quantized.stateDict()
        state["0.input_scale"] = try Tensor([0], shape: [1])
        try quantized.load(stateDict: state)
        #expect(throws: CompressError.self) { try quantized(Tensor.zeros([2, 2])) }
    }
}
