/// What a backward pass tells an observer as it runs (`gradients(at:seed:observer:)`): each
/// leaf's gradient as soon as it is complete, and each step, so that the observer can start work
/// on complete gradients while the rest of the backward pass computes and keep that work moving
/// (PyTorch DDP's gradient hooks, which start the allreduce of a bucket of gradients as soon as
/// the bucket is full).
///
/// ```swift
/// final class Recorder: BackwardObserver {
///     var order: [Int] = []
///     func gradientIsComplete(leaf index: Int, _ gradient: Tensor) { order.append(index) }
///     func backwardRuleDidRun() {}
/// }
/// let grads = try loss.gradients(at: [w1, w2], observer: recorder)   // recorder.order: [1, 0]
/// ```
public protocol BackwardObserver: AnyObject {
    /// The gradient of `leaves[index]` is complete: no backward rule left adds to it. Called once
    /// per leaf, in the order the gradients complete (a leaf the result does not depend on gets
    /// zeros, at the end). `gradient` may share memory with tensors the backward pass still
    /// uses: read or copy it, never change it.
    func gradientIsComplete(leaf index: Int, _ gradient: Tensor)

    /// One backward rule has run (called after every rule, from the thread running backward).
    func backwardRuleDidRun()
}
