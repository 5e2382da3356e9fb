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
    ///   - observer: Told each leaf's gradient as soon as it is complete, and each backward step.
    /// - Returns: One contiguous gradient per leaf, of the leaf's shape.
    public func gradients(
        at leaves: [Tensor], seed: Tensor? = nil, observer: (any BackwardObserver)? = nil
    ) throws(TensorError) -> [Tensor] {
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
        var observation = observer.map { LeafObservation(observer: $0, leaves: leaves) }
        let leafGradients = try GradientRecording.paused {
            () throws(TensorError) -> [ObjectIdentifier: Tensor] in
            guard let root = gradientNode else { return [:] }
            return try Self.backpropagate(from: root, seed: seedGradient, observation: &observation)
        }
        var results: [Tensor] = []
        results.reserveCapacity(leaves.count)
        for (index, leaf) in leaves.enumerated() {
            if let node = leaf.gradientNode, let gradient = leafGradients[ObjectIdentifier(node)] {
                results.append(try gradient.contiguous().detached)
            } else {
                results.append(try Tensor.zeros(leaf.shape))
            }
            // The leaves the result does not depend on complete now.
            if let observation, !observation.notified[index] {
                observation.observer.gradientIsComplete(leaf: index, results[index])
            }
        }
        return results
    }

    /// Runs backward rules from `root` and returns the gradient reaching each leaf node; tells
    /// `observation`'s observer each observed leaf's gradient once no rule left adds to it.
    private static func backpropagate(
        from root: GradientNode, seed: Tensor, observation: inout LeafObservation?
    ) throws(TensorError) -> [ObjectIdentifier: Tensor] {
        let order = topologicalOrder(from: root)
        // How many rules still add to each node's gradient (only when observed).
        var consumers: [ObjectIdentifier: Int] = [:]
        if observation != nil {
            for node in order {
                for case let input? in node.inputs {
                    consumers[ObjectIdentifier(input), default: 0] += 1
                }
            }
        }
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        var leaves: [ObjectIdentifier: Tensor] = [:]
        for node in order.reversed() {
            let id = ObjectIdentifier(node)
            if let gradient = pending.removeValue(forKey: id) {
                if let backward = node.backward {
                    try addContributions(of: node, backward(gradient), into: &pending)
                } else {
                    leaves[id] = gradient
                }
            }
            guard observation != nil else { continue }
            for case let input? in node.inputs {
                let inputID = ObjectIdentifier(input)
                let left = (consumers[inputID] ?? 1) - 1
                consumers[inputID] = left
                if left == 0, input.isLeaf {
                    observation?.complete(
                        node: inputID, gradient: pending[inputID], shape: input.shape)
                }
            }
            observation?.observer.backwardRuleDidRun()
        }
        return leaves
    }

    /// Adds the gradients one backward rule of `node` gave its inputs to their pending sums.
    private static func addContributions(
        of node: GradientNode, _ contributions: [Tensor?],
        into pending: inout [ObjectIdentifier: Tensor]
    ) throws(TensorError) {
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

/// The observer of one backward pass with the leaves it watches: which leaf indices each node
/// stands for, and which have been reported.
private struct LeafObservation {
    let observer: any BackwardObserver
    let indicesByNode: [ObjectIdentifier: [Int]]
    private(set) var notified: [Bool]

    init(observer: any BackwardObserver, leaves: [Tensor]) {
        self.observer = observer
        var indices: [ObjectIdentifier: [Int]] = [:]
        for (index, leaf) in leaves.enumerated() {
            if let node = leaf.gradientNode {
                indices[ObjectIdentifier(node), default: []].append(index)
            }
        }
        indicesByNode = indices
        notified = Array(repeating: false, count: leaves.count)
    }

    /// Reports the leaves of `node`, whose gradient is complete (nil: none reached it, zeros).
    mutating func complete(node: ObjectIdentifier, gradient: Tensor?, shape: [Int]) {
        guard let indices = indicesByNode[node] else { return }
        let value = gradient ?? (try? Tensor.zeros(shape))
        for index in indices where !notified[index] {
            guard let value else { continue }  // reported with the results instead
            notified[index] = true
            observer.gradientIsComplete(leaf: index, value)
        }
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
///
/// `observer` is told each point's gradient as soon as the backward pass has completed it (see
/// `BackwardObserver`).
public func valueWithGradient(
    at points: [Tensor], observer: (any BackwardObserver)? = nil,
    of function: ([Tensor]) throws -> Tensor
) throws -> (value: Tensor, gradients: [Tensor]) {
    try GradientRecording.$isPaused.withValue(false) {
        let leaves = points.map { $0.requiringGradient() }
        let value = try function(leaves)
        return (value.detached, try value.gradients(at: leaves, observer: observer))
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
