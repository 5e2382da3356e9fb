import Cell
import Foundation
import NN
import Tensor

/// Measuring models for side-by-side comparisons: `latency(of:on:repeats:)` (median seconds of
/// a forward pass) and `fileSize(_:)` (bytes of a saved model or any file).
enum MeasurementBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        let model = Param<any Layer>.labelled("of", as: .layer)
        let inputs = Param<Tensor>.labelled("on", as: .floatTensor)
        let repeats = Param<Int>.labelled("repeats", default: 20)
        registry.function(
            "latency", module: module,
            doc: """
                The median seconds of one forward pass of a model on a batch, in evaluation mode \
                without the tape, after two uncounted passes: `latency(of: model, on: x)`. \
                Compare models by ratios measured in the same run.
                """,
            parameters: [model, inputs, repeats], returns: "Double"
        ) { arguments in
            .double(
                try arguments[model].latency(
                    on: try arguments[inputs], repeats: try arguments[repeats]))
        }
        let path = Param<String>.positional("path")
        registry.function(
            "fileSize", module: module,
            doc: """
                The size in bytes of a file: `fileSize("student.safetensors")` after \
                `student.save(to: "student.safetensors")`.
                """,
            parameters: [path], returns: "Int"
        ) { arguments in
            let file = try arguments[path]
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                let size = attributes[.size] as? NSNumber
            else {
                throw CellError.invalidValue(
                    "fileSize: cannot read the size of \(file); does it exist?")
            }
            return .int(size.intValue)
        }
    }
}
