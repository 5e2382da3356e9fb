import Foundation
import Tensor

/// A model's layers as data — name, type, configuration, output shape, parameter counts and
/// frozen state — for the display layer to render as a table (its `description` is a plain-text
/// rendering for terminals).
///
/// ```swift
/// let summary = try model.summary(inputShape: [1, 1, 28, 28])
/// summary.rows[1].outputShape          // [1, 128]
/// summary.trainableParameterCount      // 101770
/// ```
public struct ModelSummary: Sendable, CustomStringConvertible {
    /// Whether a layer's parameters are trained.
    public enum TrainableState: String, Sendable {
        /// No parameters.
        case none
        /// Every parameter is trained.
        case trainable
        /// Some parameters are frozen.
        case partlyFrozen
        /// Every parameter is frozen.
        case frozen
        /// The parameters are fixed: an int8 layer's weights, which nothing trains.
        case fixed
    }

    /// One layer.
    public struct Row: Sendable {
        /// The dotted name ("1", "2.0").
        public let name: String
        /// The nesting depth (0 for the model's direct children).
        public let depth: Int
        /// The layer's type ("Dense").
        public let typeName: String
        /// Its configuration ("784 → 128, relu").
        public let configuration: String
        /// The output shape for the summary's input shape (nil without one, or for layers
        /// inside a layer that is not a Sequential).
        public let outputShape: [Int]?
        /// Parameter elements of the layer and its descendants.
        public let parameterCount: Int
        /// Those not frozen.
        public let trainableParameterCount: Int
        /// Whether they are trained.
        public let trainableState: TrainableState
        /// The bytes its parameters take, each at its own dtype (int8 weights one byte).
        public var parameterBytes = 0
        /// The dtypes of its weights and biases ("float32", "int8 + float32"), empty without.
        public var parameterTypes = ""
        /// The share of pruned entries among the layer's weights of rank ≥ 2 (and its
        /// descendants'), nil when none of them has a pruning mask.
        public var sparsity: Float? = nil
    }

    /// The layers, parents before children.
    public let rows: [Row]
    /// The input shape the output shapes were computed for.
    public let inputShape: [Int]?
    /// The model's output shape for `inputShape`.
    public let outputShape: [Int]?
    /// All parameter elements.
    public let parameterCount: Int
    /// Parameter elements that optimizers update.
    public let trainableParameterCount: Int
    /// Parameter elements of int8 layers, which nothing trains (`Layer.ownFixedParameters`).
    public var fixedParameterCount = 0
    /// The parameters' size in bytes, each at its own dtype (int8 weights one byte).
    public var parameterBytes = 0

    /// Parameter elements that are frozen.
    public var frozenParameterCount: Int {
        parameterCount - trainableParameterCount - fixedParameterCount
    }

    /// Whether the model has int8 layers (then tables show each layer's bytes and dtypes).
    public var isQuantized: Bool { fixedParameterCount > 0 }

    /// Whether any layer is pruned (then tables show a sparsity column).
    public var isPruned: Bool { rows.contains { $0.sparsity != nil } }

    /// A plain-text table.
    public var description: String {
        let pruned = isPruned
        let quantized = isQuantized
        let header =
            ["Layer", "Type", "Output shape", "Parameters", "Trainable"]
            + (quantized ? ["Bytes", "Dtype"] : []) + (pruned ? ["Sparsity"] : [])
        let body = rows.map { row -> [String] in
            let indent = String(repeating: "  ", count: row.depth)
            let type =
                row.configuration.isEmpty ? row.typeName : "\(row.typeName)(\(row.configuration))"
            let sparsity = row.sparsity.map { String(format: "%.1f%%", Double($0) * 100) } ?? ""
            return [
                indent + row.name, type, row.outputShape.map { "\($0)" } ?? "",
                "\(row.parameterCount)",
                row.trainableState == .none ? "" : row.trainableState.rawValue,
            ] + (quantized ? ["\(row.parameterBytes)", row.parameterTypes] : [])
                + (pruned ? [sparsity] : [])
        }
        let table = [header] + body
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [
            line(header),
            String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1)),
        ]
        lines += body.map(line)
        lines.append(
            "Parameters: \(parameterCount) (trainable \(trainableParameterCount), frozen "
                + "\(frozenParameterCount)"
                + (quantized
                    ? ", fixed int8 layers' \(fixedParameterCount)); \(parameterBytes) bytes" : ")")
        )
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}

extension Layer {
    /// The summary of this model: one row per layer and, when `inputShape` (batch axis
    /// included) is given, each layer's output shape from one forward pass on zeros, run in
    /// evaluation mode without autodiff.
    ///
    /// ```swift
    /// print(try model.summary(inputShape: [1, 784]))
    /// ```
    public func summary(inputShape: [Int]? = nil) throws -> ModelSummary {
        var shapes: [String: [Int]] = [:]
        var outputShape: [Int]?
        if let inputShape {
            let input = try Tensor.zeros(inputShape)
            let output = try evaluating {
                try withoutGradient { try traceShapes(of: self, prefix: "", input, into: &shapes) }
            }
            outputShape = output.shape
        }
        var rows: [ModelSummary.Row] = []
        for (name, layer) in namedLayers() where !name.isEmpty {
            let depth = name.split(separator: ".").count - 1
            let parameters = layer.parameters
            let fixed = layer.fixedParameterCount
            let count = parameters.reduce(0) { $0 + $1.elementCount } + fixed
            let trainable = parameters.reduce(0) { $0 + ($1.isFrozen ? 0 : $1.elementCount) }
            let state: ModelSummary.TrainableState =
                count == 0
                ? .none
                : fixed == count
                    ? .fixed
                    : trainable == count - fixed
                        ? .trainable : trainable == 0 ? .frozen : .partlyFrozen
            let dtypes = Set(
                parameters.map(\.value.dtype) + layer.fixedParameters.map(\.value.dtype))
            let weights = parameters.filter { $0.shape.count >= 2 }
            let weightCount = weights.reduce(0) { $0 + $1.elementCount }
            let sparsity: Float? =
                weights.contains { $0.mask != nil } && weightCount > 0
                ? weights.reduce(0) { $0 + $1.sparsity * Float($1.elementCount) }
                    / Float(weightCount) : nil
            rows.append(
                ModelSummary.Row(
                    name: name, depth: depth, typeName: layer.typeName,
                    configuration: layer.configurationSummary, outputShape: shapes[name],
                    parameterCount: count, trainableParameterCount: trainable,
                    trainableState: state, parameterBytes: layer.parameterByteCount,
                    parameterTypes: dtypes.map(\.rawValue).sorted().reversed()
                        .joined(separator: " + "), sparsity: sparsity))
        }
        var summary = ModelSummary(
            rows: rows, inputShape: inputShape, outputShape: outputShape,
            parameterCount: parameterCount, trainableParameterCount: trainableParameterCount)
        summary.fixedParameterCount = fixedParameterCount
        summary.parameterBytes = parameterByteCount
        return summary
    }
}

/// Runs `layer` on `input`, stepping through Sequentials child by child to record each
/// child's output shape under its dotted name.
private func traceShapes(
    of layer: any Layer, prefix: String, _ input: Tensor, into shapes: inout [String: [Int]]
) throws -> Tensor {
    guard let sequential = layer as? Sequential else { return try layer(input) }
    var value = input
    for (index, child) in sequential.layers.enumerated() {
        let name = prefix + String(index)
        value = try traceShapes(of: child, prefix: name + ".", value, into: &shapes)
        shapes[name] = value.shape
    }
    return value
}
