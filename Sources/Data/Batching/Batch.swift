import Tensor

/// One mini-batch: inputs `x` and targets `y`, ready for a model.
///
/// `x` is Float32 [B, C, H, W] for images (NCHW, PyTorch's layout) or [B, features] for tables;
/// `y` is Int32 [B] (class indices) or Float32 [B, k] (regression targets).
///
/// ```swift
/// var iterator = try data.train.batches(of: 128).makeIterator()
/// while let (x, y) = try iterator.next()?.pair { … }
/// ```
public struct Batch: Sendable {
    /// The inputs, Float32 [B, …].
    public let x: Tensor
    /// The targets, Int32 [B] or Float32 [B, k].
    public let y: Tensor

    /// A batch of the given inputs and targets.
    public init(x: Tensor, y: Tensor) {
        self.x = x
        self.y = y
    }

    /// The number of examples.
    public var count: Int { x.shape.first ?? 0 }

    /// `(x, y)`, for destructuring.
    public var pair: (x: Tensor, y: Tensor) { (x, y) }
}
