import CellLibrary
import Foundation
import Testing

@testable import Cell

/// Int8 quantization from cells: static (each calibration method) and dynamic quantization,
/// quantization-aware training, and the int8 model through evaluate, summary, save and
/// loadModel; misuse as errors.
@Suite struct BindingsQuantizationTests {
    private func harness() -> CellHarness {
        let harness = CellHarness(configuration: .withLibrary)
        let run = harness.run(
            """
            seed(7)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 100, standardDeviation: 0.5)
            var model = Sequential { Dense(2, 32, activation: relu); Dense(32, 3) }
            model.fit(data, epochs: 3, batchSize: 30, optimizer: Adam(learningRate: 0.05), verbose: 0)
            let accuracy = model.evaluate(data)["accuracy"]!
            """)
        #expect(run.error == nil, "\(run.error.map { "\($0.name): \($0.value)" } ?? "")")
        return harness
    }

    private func result(_ harness: CellHarness, _ cell: String) -> String? {
        let run = harness.run(cell)
        if let error = run.error { return "\(error.name): \(error.value)" }
        return run.result
    }

    @Test func staticQuantizationWithEachMethodKeepsTheAccuracy() {
        let harness = harness()
        for method in [".minMax", ".percentile(99.9)", ".entropy"] {
            #expect(
                result(
                    harness,
                    """
                    let q = quantize(model, calibration: data.prefix(200), method: \(method))
                    q.evaluate(data)["accuracy"]! >= accuracy - 0.03
                    """) == "true", "\(method)")
        }
        #expect(
            result(harness, "quantize(model, calibration: data)[0].typeName")
                == "\"QuantizedDense\"")
        #expect(result(harness, "model[0].typeName") == "\"Dense\"")
    }

    @Test func dynamicQuantizationNeedsNoCalibration() {
        let harness = harness()
        #expect(result(harness, "let d = quantize(model, mode: .dynamic)\nd[1].mode") == "dynamic")
        #expect(result(harness, "d.evaluate(data)[\"accuracy\"]! >= accuracy - 0.03") == "true")
        #expect(result(harness, "d.predict(data).shape") == "[300, 3]")
    }

    @Test func theInt8ModelIsSavedLoadedAndSummarizedLikeAnyOther() throws {
        let harness = harness()
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("cell-int8-\(UInt64.random(in: 0...UInt64.max)).safetensors")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            result(
                harness,
                """
                let q = quantize(model, calibration: data.prefix(100))
                q.save(to: "\(path)")
                let back = loadModel(from: "\(path)")
                (back.predict(data) - q.predict(data)).abs().sum()
                """) == "tensor(0.0, shape: [], dtype: float32)")
        #expect(
            result(harness, "back.evaluate(data)[\"accuracy\"]! == q.evaluate(data)[\"accuracy\"]!")
                == "true")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(result(harness, "fileSize(\"\(path)\")") == size.map(String.init))
        #expect(result(harness, "fileSize(\"/nonexistent/x\")")?.hasPrefix("ValueError") == true)
        #expect(
            result(
                harness,
                "let t = inferenceLatency(q, on: data, batchSize: 64, runs: 3)\nt > 0 && t < 10")
                == "true")
        let summary = try #require(result(harness, "\"\\(back.summary())\""))
        #expect(summary.contains("QuantizedDense") && summary.contains("int8 static"))
    }

    @Test func quantizationAwareTrainingConvertsToInt8() {
        let harness = harness()
        #expect(
            result(
                harness,
                """
                let qat = prepareQuantizationAwareTraining(model)
                qat.fit(data, epochs: 1, batchSize: 30, optimizer: Adam(learningRate: 0.001), verbose: 0)
                let q8 = convertQuantizationAware(qat)
                [qat[0].typeName, q8[0].typeName]
                """) == "[\"FakeQuantizedDense\", \"QuantizedDense\"]")
        #expect(result(harness, "q8.evaluate(data)[\"accuracy\"]! >= accuracy - 0.05") == "true")
    }

    @Test func misuseIsAnError() {
        let harness = harness()
        #expect(
            result(harness, "quantize(model)")?.hasPrefix(
                "ValueError: quantize: static quantization needs calibration data") == true)
        #expect(
            result(harness, "quantize(Sequential { Flatten() }, mode: .dynamic)")?.hasPrefix(
                "TypeError: quantize: the model has no Dense or Conv2D layer") == true)
        #expect(
            result(harness, "quantize(model, calibration: data, method: .percentile(20))")?
                .hasPrefix("ValueError: quantize: the percentile") == true)
        #expect(
            result(harness, "convertQuantizationAware(model)")?.hasPrefix(
                "TypeError: convertQuantizationAware") == true)
        #expect(
            result(harness, "quantize(model, mode: .dynamic)(Tensor.zeros([2, 5]))")?.hasPrefix(
                "ShapeError") == true)
    }
}
