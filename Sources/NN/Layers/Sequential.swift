import Tensor

/// Layers applied one after another, like `torch.nn.Sequential`: children are named `0`, `1`,
/// … so the state dict of `Sequential { Flatten(); Dense(784, 128); ReLU(); Dense(128, 10) }`
/// holds `1.weight`, `1.bias`, `3.weight`, `3.bias`, as PyTorch's does.
///
/// It can be indexed, sliced and edited in place — what transfer learning needs: keep a trained
/// body, freeze it, replace the head.
///
/// ```swift
/// let model = try Sequential {
///     Flatten()
///     try Dense(784, 128, activation: .relu)
///     try Dense(128, 10)
/// }
/// let body = try model[0..<2]          // shares the trained layers
/// body.freeze()
/// try model.replace(at: 2, with: Dense(128, 5))
/// ```
public final class Sequential: Layer {
    /// The layers, in order.
    public private(set) var layers: [any Layer]
    /// The training flag of the container itself (its layers have their own).
    public var isTraining = true

    /// A sequence of `layers`.
    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    /// A sequence of the layers listed in `content`.
    ///
    /// ```swift
    /// let model = try Sequential { Flatten(); try Dense(784, 10) }
    /// ```
    public convenience init(@LayerBuilder _ content: () throws -> [any Layer]) rethrows {
        self.init(try content())
    }

    /// Applies each layer in turn; a `Conv2D` followed by a 2×2 `MaxPool2D` runs as one
    /// operation where it can (`Conv2D.pooledOutput(_:by:)`: the same values and gradients).
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        var value = input
        var index = 0
        while index < layers.count {
            if index + 1 < layers.count, let convolution = layers[index] as? Conv2D,
                let pool = layers[index + 1] as? MaxPool2D,
                let pooled = try convolution.pooledOutput(value, by: pool)
            {
                value = pooled
                index += 2
                continue
            }
            value = try layers[index](value)
            index += 1
        }
        return value
    }

    /// The layers, named by their position.
    public var children: [(name: String, layer: any Layer)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The architecture of each layer.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(type: "Sequential", children: try layers.map { try $0.architecture() })
    }
}

// MARK: - Indexing and editing

extension Sequential {
    /// The layer at `index` (negative counts from the end: -1 is the last).
    ///
    /// ```swift
    /// let head = try model[-1]
    /// ```
    public subscript(index: Int) -> any Layer {
        get throws { layers[try position(of: index)] }
    }

    /// A new Sequential of the layers in `range` (the layers are shared, not copied, like
    /// slicing a `torch.nn.Sequential`).
    public subscript(range: Range<Int>) -> Sequential {
        get throws {
            guard range.lowerBound >= 0, range.upperBound <= layers.count else {
                throw NNError.indexOutOfRange(
                    container: "Sequential slice \(range)",
                    index: range.lowerBound < 0 ? range.lowerBound : range.upperBound,
                    count: layers.count)
            }
            return Sequential(Array(layers[range]))
        }
    }

    /// A new Sequential without the last `count` layers (sharing the others), the usual first
    /// step of transfer learning.
    ///
    /// ```swift
    /// let features = try model.dropLast()
    /// ```
    public func dropLast(_ count: Int = 1) throws -> Sequential {
        guard count >= 0, count <= layers.count else {
            throw NNError.invalidArgument(
                function: "dropLast",
                message: "cannot drop \(count) of \(layers.count) layers")
        }
        return Sequential(Array(layers.dropLast(count)))
    }

    /// Appends `layer` at the end.
    public func append(_ layer: any Layer) {
        layers.append(layer)
    }

    /// Inserts `layer` before the layer at `index` (`count` appends).
    public func insert(_ layer: any Layer, at index: Int) throws {
        guard index >= 0, index <= layers.count else {
            throw NNError.indexOutOfRange(
                container: "Sequential.insert", index: index, count: layers.count + 1)
        }
        layers.insert(layer, at: index)
    }

    /// Replaces the layer at `index` (negative counts from the end) with `layer`; returns the
    /// layer it replaced.
    @discardableResult
    public func replace(at index: Int, with layer: any Layer) throws -> any Layer {
        let position = try position(of: index)
        let old = layers[position]
        layers[position] = layer
        return old
    }

    /// Removes and returns the layer at `index` (negative counts from the end).
    @discardableResult
    public func remove(at index: Int) throws -> any Layer {
        layers.remove(at: try position(of: index))
    }

    /// Removes the last `count` layers in place.
    public func removeLast(_ count: Int = 1) throws {
        guard count >= 0, count <= layers.count else {
            throw NNError.invalidArgument(
                function: "removeLast",
                message: "cannot remove \(count) of \(layers.count) layers")
        }
        layers.removeLast(count)
    }

    /// `index` as a position in `layers`, counting negative indices from the end.
    private func position(of index: Int) throws -> Int {
        let position = index < 0 ? index + layers.count : index
        guard position >= 0, position < layers.count else {
            throw NNError.indexOutOfRange(
                container: "Sequential", index: index, count: layers.count)
        }
        return position
    }
}

// MARK: - Result builder

/// Collects the layers written in a `Sequential { … }` block, with `if`, `if/else` and `for`.
@resultBuilder
public enum LayerBuilder {
    /// One layer as a list.
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }

    /// A list of layers as it is.
    public static func buildExpression(_ layers: [any Layer]) -> [any Layer] { layers }

    /// The statements of a block, concatenated.
    public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] {
        parts.flatMap { $0 }
    }

    /// The layers of an `if` without `else`.
    public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }

    /// The layers of the first branch of an `if/else`.
    public static func buildEither(first part: [any Layer]) -> [any Layer] { part }

    /// The layers of the second branch of an `if/else`.
    public static func buildEither(second part: [any Layer]) -> [any Layer] { part }

    /// The layers of every iteration of a `for` loop.
    public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] {
        parts.flatMap { $0 }
    }
}
