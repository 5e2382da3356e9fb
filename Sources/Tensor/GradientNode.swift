/// One step of the define-by-run autodiff graph: the op that produced a tensor, the nodes of its
/// inputs, and its backward rule (nil for a leaf: a tensor made by `requiringGradient()`).
///
/// Backward rules capture the *values* they need (detached tensors), never nodes, so the graph
/// is held only through `inputs`; that lets `deinit` take a long chain apart iteratively instead
/// of recursing once per node.
final class GradientNode: @unchecked Sendable {
    /// Maps the gradient of the output to the gradients of the inputs (one entry per input, nil
    /// where no gradient flows).
    typealias Backward = (Tensor) throws(TensorError) -> [Tensor?]

    /// The op's name, for error messages.
    let operation: String
    /// The shape of the tensor this node belongs to.
    let shape: [Int]
    /// The nodes of the inputs that require a gradient (nil for those that do not).
    private(set) var inputs: [GradientNode?]
    /// The backward rule; nil for a leaf.
    private(set) var backward: Backward?

    /// A leaf: a tensor whose gradient the caller asks for.
    init(leafShape shape: [Int]) {
        self.operation = "leaf"
        self.shape = shape
        self.inputs = []
        self.backward = nil
    }

    /// An interior node.
    init(operation: String, shape: [Int], inputs: [GradientNode?], backward: @escaping Backward) {
        self.operation = operation
        self.shape = shape
        self.inputs = inputs
        self.backward = backward
    }

    /// Whether this node is a leaf.
    var isLeaf: Bool { backward == nil && inputs.isEmpty }

    deinit {
        var pending = inputs
        inputs = []
        while let last = pending.popLast() {
            guard var node = last else { continue }
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.inputs)
                node.inputs = []
            }
        }
    }
}

/// Whether ops record backward rules: off inside `withoutGradient { }` and while backward rules
/// run.
enum GradientRecording {
    /// True while recording is paused for the current task or thread.
    @TaskLocal static var isPaused = false

    /// Runs `body` with recording paused.
    static func paused<Result>(_ body: () throws(TensorError) -> Result) throws(TensorError)
        -> Result
    {
        do {
            return try $isPaused.withValue(true) { try body() }
        } catch let error as TensorError {
            throw error
        } catch {
            throw .invalidGradient(message: "unexpected error \(error)")
        }
    }
}

extension Tensor {
    /// A copy of this tensor (sharing storage) that is a new autodiff leaf: ops on it record
    /// backward rules, and `gradients(at:)` on a result computed from it returns its gradient.
    ///
    /// ```swift
    /// let w = try Tensor([1, 2], shape: [2]).requiringGradient()
    /// let loss = try (w * w).sum()
    /// let grad = try loss.gradients(at: [w])[0]   // [2, 4]
    /// ```
    public func requiringGradient() -> Tensor {
        var copy = self
        copy.gradientNode = GradientNode(leafShape: shape)
        return copy
    }

    /// Whether an op on this input must record a backward rule.
    @inline(__always)
    static func recordsGradient(_ input: Tensor) -> Bool {
        input.gradientNode != nil && !GradientRecording.isPaused
    }

    /// Whether an op on these inputs must record a backward rule.
    @inline(__always)
    static func recordsGradient(_ first: Tensor, _ second: Tensor) -> Bool {
        (first.gradientNode != nil || second.gradientNode != nil) && !GradientRecording.isPaused
    }

    /// Whether an op on these inputs must record a backward rule.
    @inline(__always)
    static func recordsGradient(_ first: Tensor, _ second: Tensor, _ third: Tensor) -> Bool {
        (first.gradientNode != nil || second.gradientNode != nil || third.gradientNode != nil)
            && !GradientRecording.isPaused
    }

    /// Whether an op on these inputs must record a backward rule.
    static func recordsGradient(_ inputs: [Tensor]) -> Bool {
        inputs.contains { $0.gradientNode != nil } && !GradientRecording.isPaused
    }

    /// Attaches a backward rule to this freshly computed tensor; `backward` maps the output's
    /// gradient to one gradient per input (nil where none flows or none is needed).
    mutating func recordGradient(
        _ operation: String, inputs: [Tensor], backward: @escaping GradientNode.Backward
    ) {
        gradientNode = GradientNode(
            operation: operation, shape: shape, inputs: inputs.map(\.gradientNode),
            backward: backward)
    }
}
