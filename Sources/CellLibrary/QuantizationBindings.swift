import Cell
import Compress
import Data
import Foundation
import NN
import Tensor

/// Int8 quantization in cells: `quantize(model, calibration: data.train.prefix(1_000))`
/// (static, calibrated by `method: .minMax`, `.percentile(99.99)` or `.entropy`),
/// `quantize(model, mode: .dynamic)`, and quantization-aware training with
/// `prepareQuantizationAwareTraining(model)` then `convertQuantizationAware(qat)`. The int8 layers
/// (`QuantizedDense`, `FakeQuantizedDense`) are layers like any other: `predict`, `evaluate`,
/// `summary()`, `save(to:)` and `loadModel(from:)` handle them.
enum QuantizationBindings {
    static let module = "Compress"

    static func install(into registry: Registry) {
        QuantizedLayers.register()
        installCalibrationMethod(into: registry)
        installMode(into: registry)
        installLayers(into: registry)
        installQuantize(into: registry)
        installQuantizationAwareTraining(into: registry)
        installMeasurements(into: registry)
    }

    /// `inferenceLatency` (on a data set's first batch); `fileSize` is MeasurementBindings'.
    private static func installMeasurements(into registry: Registry) {
        let model = Param<any Layer>.positional("model", as: .layer)
        let data = Param<Dataset>.labelled("on")
        let batchSize = Param<Int>.labelled("batchSize", default: 256)
        let runs = Param<Int>.labelled("runs", default: 20)
        registry.function(
            "inferenceLatency", module: module,
            doc: """
                The median seconds of one forward pass on the first `batchSize` examples, in \
                evaluation mode: `inferenceLatency(q, on: data.test, batchSize: 256)`.
                """,
            parameters: [model, data, batchSize, runs], returns: "Double"
        ) { arguments in
            .double(
                try Compress.inferenceLatency(
                    of: try arguments[model], on: try arguments[data],
                    batchSize: try arguments[batchSize], runs: try arguments[runs]))
        }
    }

    private static func installCalibrationMethod(into registry: Registry) {
        registry.type(
            CalibrationMethod.self, name: "CalibrationMethod", kind: .value, module: module,
            doc: """
                How calibration chooses each layer's input range: `.minMax`, \
                `.percentile(99.99)` or `.entropy` (TensorRT's KL-divergence search).
                """
        ) { type in
            type.staticProperty("minMax", doc: "The smallest and largest value seen.") {
                [unowned info = type.info] in info.wrap(CalibrationMethod.minMax)
            }
            type.staticProperty(
                "entropy", doc: "The clipping threshold of least KL divergence (TensorRT)."
            ) { [unowned info = type.info] in info.wrap(CalibrationMethod.entropy) }
            let percent = Param<Double>.positional("percent")
            type.staticMethod(
                "percentile", parameters: [percent],
                doc: "Clips to the given percentile at the top (and 100 minus it at the bottom)."
            ) { [unowned info = type.info] arguments in
                info.wrap(CalibrationMethod.percentile(try arguments[percent]))
            }
            type.description { $0.description }
        }
    }

    private static func installMode(into registry: Registry) {
        registry.type(
            QuantizationMode.self, name: "QuantizationMode", kind: .value, module: module,
            doc: """
                When activations are quantized: `.static` (calibrated ranges, the default) or \
                `.dynamic` (each batch's own range, like PyTorch's quantize_dynamic).
                """
        ) { type in
            for mode in QuantizationMode.allCases {
                type.staticProperty(mode.rawValue, doc: "\(mode.rawValue) quantization.") {
                    [unowned info = type.info] in info.wrap(mode)
                }
            }
            type.description { $0.rawValue }
        }
    }

    private static func installLayers(into registry: Registry) {
        LayerBindings.layerType(
            QuantizedDense.self, "QuantizedDense", registry,
            doc: "A Dense layer computed in int8 (made by `quantize`)."
        ) { type in
            type.property("inputSize", type: "Int", doc: "The number of input features.") {
                .int($0.inputSize)
            }
            type.property("outputSize", type: "Int", doc: "The number of output features.") {
                .int($0.outputSize)
            }
            type.property("mode", type: "QuantizationMode", doc: "Static or dynamic.") {
                [unowned registry] layer in try registry.value(wrapping: layer.mode)
            }
        }
        LayerBindings.layerType(
            FakeQuantizedDense.self, "FakeQuantizedDense", registry,
            doc: """
                A Dense layer trained through int8 rounding (made by \
                `prepareQuantizationAwareTraining`).
                """
        ) { _ in }
    }

    private static func installQuantize(into registry: Registry) {
        let model = Param<any Layer>.positional("model", as: .layer)
        let calibration = Param<Dataset?>.optional("calibration")
        let method = Param<CalibrationMethod?>.labelled(
            "method", defaultValue: .nilValue, shown: ".minMax")
        let mode = Param<QuantizationMode?>.labelled(
            "mode", defaultValue: .nilValue, shown: ".static")
        let batchSize = Param<Int>.labelled("batchSize", default: 256)
        registry.function(
            "quantize", module: module,
            doc: """
                The int8 version of a model (the model is not changed): every Dense becomes a \
                QuantizedDense with weights per output channel. Static (default) needs \
                calibration data: `quantize(model, calibration: data.train.prefix(1_000), \
                method: .entropy)`; dynamic does not: `quantize(model, mode: .dynamic)`.
                """,
            parameters: [model, calibration, method, mode, batchSize], returns: "Layer"
        ) { arguments in
            let quantized = try Compress.quantize(
                try arguments[model], calibration: try arguments[calibration],
                method: try arguments[method] ?? .minMax,
                mode: try arguments[mode] ?? .static, batchSize: try arguments[batchSize])
            return try LayerValues.value(of: quantized, session: arguments.session)
        }
    }

    private static func installQuantizationAwareTraining(into registry: Registry) {
        let model = Param<any Layer>.positional("model", as: .layer)
        registry.function(
            "prepareQuantizationAwareTraining", module: module,
            doc: """
                A copy of the model whose Dense layers train through int8 rounding (fake \
                quantization, straight-through gradients): fit it, then \
                `convertQuantizationAware(qat)`.
                """,
            parameters: [model], returns: "Layer"
        ) { arguments in
            try LayerValues.value(
                of: try prepareQuantizationAwareTraining(try arguments[model]),
                session: arguments.session)
        }
        registry.function(
            "convertQuantizationAware", module: module,
            doc: """
                The int8 model of a model trained after `prepareQuantizationAwareTraining`, \
                with the weights and input ranges it learned.
                """,
            parameters: [model], returns: "Layer"
        ) { arguments in
            try LayerValues.value(
                of: try convertQuantizationAware(try arguments[model]),
                session: arguments.session)
        }
    }
}

extension CalibrationMethod: HostArgument {
    /// `CalibrationMethod`.
    public static let cellTypeName = "CalibrationMethod"
}

extension QuantizationMode: HostArgument {
    /// `QuantizationMode`.
    public static let cellTypeName = "QuantizationMode"
}
