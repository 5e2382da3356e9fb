// The public face of autodiff: backward through the recorded graph, and the swift-apis/mlx style
// functions `gradient(at:of:)`, `valueWithGradient(at:of:)` and `withoutGradient { }`.

extension Tensor {
    /// The gradients of this tensor with respect to each of `leaves` (tensors made by
    /// `requiringGradient()` that this one was computed from), in order.
    ///
    /// Runs every recorded backward rule once, in reverse topological order, summing the
    /// contributions of a tensor used more than once. A leaf this tensor does not depend on gets
    /// a zero gradient.
    ///
    /// - Parameters:
    ///   - leaves: The tensors to differentiate with respect to.
    ///   - seed: The gradient of the final result with respect to this tensor; defaults to 1,
    ///     which needs this tensor to hold exactly one element (a loss).
    /// - Returns: One contiguous gradient per leaf, of the leaf's shape.
    public func gradients(at leaves: [Tensor], seed: Tensor? = nil) throws(TensorError)
        -> [Tensor]
    {
        let seedGradient: Tensor
        if let seed {
            guard seed.shape == shape else {
                throw .shapeMismatch(
                    operation: "gradient seed", shapes: [seed.shape, shape],
                    detail: "the seed must have the result's shape")
            }
            seedGradient = seed.detached
        } else {
            guard elementCount == 1 else {
                throw .invalidGradient(
                    message: "the result has shape \(shape); only a single-element result "
                        + "(a loss) has an implied seed; sum it or pass a seed")
            }
            seedGradient = try Tensor.ones(shape)
        }
        let leafGradients = try GradientRecording.paused {
            () throws(TensorError) -> [ObjectIdentifier: Tensor] in
            guard let root = gradientNode else { return [:] }
            return try Self.backpropagate(from: root, seed: seedGradient)
        }
        var results: [Tensor] = []
        results.reserveCapacity(leaves.count)
        for leaf in leaves {
            if let node = leaf.gradientNode, let gradient = leafGradients[ObjectIdentifier(node)] {
                results.append(try gradient.contiguous().detached)
            } else {
                results.append(try Tensor.zeros(leaf.shape))
            }
        }
        return results
    }

    /// Runs backward rules from `root` and returns the gradient reaching each leaf node.
    private static func backpropagate(from root: GradientNode, seed: Tensor) throws(TensorError)
        -> [ObjectIdentifier: Tensor]
    {
        let order = topologicalOrder(from: root)
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        var leaves: [ObjectIdentifier: Tensor] = [:]
        for node in order.reversed() {
            let id = ObjectIdentifier(node)
            guard let gradient = pending.removeValue(forKey: id) else { continue }
            guard let backward = node.backward else {
                leaves[id] = gradient
                continue
            }
            let contributions = try backward(gradient)
            for (input, contribution) in Swift.zip(node.inputs, contributions) {
                guard let input, let contribution else { continue }
                guard contribution.shape == input.shape else {
                    throw .shapeMismatch(
                        operation: "backward of \(node.operation)",
                        shapes: [contribution.shape, input.shape],
                        detail: "internal error: a gradient must have its input's shape")
                }
                let inputID = ObjectIdentifier(input)
                if let existing = pending[inputID] {
                    pending[inputID] = try existing + contribution
                } else {
                    pending[inputID] = contribution
                }
            }
        }
        return leaves
    }

    /// Nodes reachable from `root`, each after all of its inputs (iterative depth-first search,
    /// so a long chain cannot overflow the stack).
    private static func topologicalOrder(from root: GradientNode) -> [GradientNode] {
        var order: [GradientNode] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var stack: [(node: GradientNode, nextInput: Int)] = [(root, 0)]
        while let (node, nextInput) = stack.popLast() {
            if nextInput < node.inputs.count {
                stack.append((node, nextInput + 1))
                if let input = node.inputs[nextInput],
                    visited.insert(ObjectIdentifier(input)).inserted
                {
                    stack.append((input, 0))
                }
            } else {
                order.append(node)
            }
        }
        return order
    }
}

/// The gradients of `function` at `points`: each result is d function / d point, of the
/// point's shape. `function` must return a single-element tensor (a loss).
///
/// ```swift
/// let grads = try gradient(at: [w, b]) { p in try ((x.matmul(p[0]) + p[1]) - y).squared().mean() }
/// ```
public func gradient(at points: [Tensor], of function: ([Tensor]) throws -> Tensor) throws
    -> [Tensor]
{
    try valueWithGradient(at: points, of: function).gradients
}

/// The value of `function` at `points` together with its gradients there (see
/// `gradient(at:of:)`); the value is detached from autodiff.
public func valueWithGradient(at points: [Tensor], of function: ([Tensor]) throws -> Tensor)
    throws -> (value: Tensor, gradients: [Tensor])
{
    try GradientRecording.$isPaused.withValue(false) {
        let leaves = points.map { $0.requiringGradient() }
        let value = try function(leaves)
        return (value.detached, try value.gradients(at: leaves))
    }
}

/// The gradient of a function of one tensor at `point`.
///
/// ```swift
/// let slope = try gradient(at: Tensor(3)) { x in try x * x }   // 6
/// ```
public func gradient(at point: Tensor, of function: (Tensor) throws -> Tensor) throws -> Tensor {
    try valueWithGradient(at: point, of: function).gradient
}

/// The value of a function of one tensor at `point`, with its gradient there.
public func valueWithGradient(at point: Tensor, of function: (Tensor) throws -> Tensor) throws
    -> (value: Tensor, gradient: Tensor)
{
    let (value, gradients) = try valueWithGradient(at: [point]) { try function($0[0]) }
    return (value, gradients[0])
}

/// Runs `body` with autodiff off: ops record nothing, even on tensors that require gradients,
/// so evaluation and optimizer updates pay no tape cost.
///
/// ```swift
/// let logits = try withoutGradient { try model(x) }
/// ```
public func withoutGradient<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientRecording.$isPaused.withValue(true) { try body() }
}
