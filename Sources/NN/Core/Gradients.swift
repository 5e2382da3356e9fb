import Foundation
import Tensor

/// The gradients of a loss with respect to a model's trainable parameters, found by parameter
/// (identity) or by dotted name; what `valueWithGradient(of:)` returns and
/// `Optimizer.update(_:along:)` consumes.
///
/// ```swift
/// let (loss, grads) = try valueWithGradient(of: model) { m in
///     try softmaxCrossEntropy(m(x), y)
/// }
/// grads["1.weight"]?.shape       // [128, 784]
/// try grads.globalNorm()
/// ```
public struct Gradients {
    /// One parameter's gradient.
    public struct Entry {
        /// The parameter's dotted name in the model the gradients were taken of.
        public let name: String
        /// The parameter (held strongly, so its identity stays valid).
        public let parameter: Parameter
        /// The gradient, of the parameter's shape.
        public internal(set) var gradient: Tensor
    }

    /// The entries in the model's parameter order.
    public internal(set) var entries: [Entry]
    private var indexByParameter: [ObjectIdentifier: Int]
    private var indexByName: [String: Int]

    /// Gradients for the given (name, parameter, gradient) triples.
    init(_ entries: [Entry]) {
        self.entries = entries
        indexByParameter = [:]
        indexByName = [:]
        for (index, entry) in entries.enumerated() {
            indexByParameter[ObjectIdentifier(entry.parameter)] = index
            indexByName[entry.name] = index
        }
    }

    /// The gradient of `parameter`, or nil if it was not differentiated (frozen or not part of
    /// the model).
    public subscript(parameter: Parameter) -> Tensor? {
        indexByParameter[ObjectIdentifier(parameter)].map { entries[$0].gradient }
    }

    /// The gradient of the parameter with this dotted name, or nil.
    public subscript(name: String) -> Tensor? {
        indexByName[name].map { entries[$0].gradient }
    }

    /// The names of the parameters, in order.
    public var names: [String] { entries.map(\.name) }

    /// The number of parameters with a gradient.
    public var count: Int { entries.count }

    /// The Euclidean norm of all the gradients taken together (the quantity clipped by
    /// `clip(byGlobalNorm:)`).
    public func globalNorm() throws -> Float {
        var total: Double = 0
        for entry in entries {
            total += Double(try entry.gradient.squared().sum().scalarized())
        }
        return Float(total.squareRoot())
    }

    /// Scales every gradient down so that their global norm is at most `maxNorm` (Pascanu et
    /// al., 2013, "On the difficulty of training recurrent neural networks"), like PyTorch's
    /// `clip_grad_norm_`; returns the norm before clipping.
    ///
    /// ```swift
    /// let normBefore = try grads.clip(byGlobalNorm: 1.0)
    /// ```
    @discardableResult
    public mutating func clip(byGlobalNorm maxNorm: Float) throws -> Float {
        guard maxNorm >= 0, maxNorm.isFinite else {
            throw NNError.invalidArgument(
                function: "clip(byGlobalNorm:)", message: "the maximum norm must be >= 0")
        }
        let norm = try globalNorm()
        let factor = maxNorm / (norm + 1e-6)
        if factor < 1 { try scale(by: factor) }
        return norm
    }

    /// Clamps every gradient element into [-`limit`, `limit`], like PyTorch's
    /// `clip_grad_value_`.
    public mutating func clip(byValue limit: Float) throws {
        guard limit >= 0, !limit.isNaN else {
            throw NNError.invalidArgument(
                function: "clip(byValue:)", message: "the limit must be >= 0")
        }
        for index in entries.indices {
            entries[index].gradient = try entries[index].gradient.clamped(min: -limit, max: limit)
        }
    }

    /// Multiplies every gradient by `factor` (to average accumulated gradients, for example).
    public mutating func scale(by factor: Float) throws {
        for index in entries.indices { try entries[index].gradient.scale(by: factor) }
    }

    /// Adds `other`'s gradients to these, parameter by parameter (gradient accumulation);
    /// parameters only in `other` are appended.
    ///
    /// ```swift
    /// var total = first
    /// try total.accumulate(second)
    /// try total.scale(by: 0.5)
    /// ```
    public mutating func accumulate(_ other: Gradients) throws {
        for entry in other.entries {
            if let index = indexByParameter[ObjectIdentifier(entry.parameter)] {
                try entries[index].gradient.addScaled(entry.gradient, by: 1)
            } else {
                indexByParameter[ObjectIdentifier(entry.parameter)] = entries.count
                indexByName[entry.name] = entries.count
                entries.append(entry)
            }
        }
    }
}
