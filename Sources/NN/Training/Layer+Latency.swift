import Foundation
import Tensor

extension Layer {
    /// The median wall-clock seconds of one forward pass on `x`, in evaluation mode without
    /// the tape (as `predict` runs), after `warmUp` passes that are not counted (buffers,
    /// caches, BLAS threads). The median of `repeats` passes resists a stray slow one.
    ///
    /// Compare models by the ratio of their latencies measured in the same run on the same
    /// machine; the absolute value depends on the CPU and its load.
    ///
    /// ```swift
    /// let x = try data.test.batch(Array(0..<256)).x
    /// let speedUp = try teacher.latency(on: x) / student.latency(on: x)
    /// ```
    ///
    /// - Throws: `NNError.invalidArgument` for fewer than one repeat or a negative
    ///   warm-up; the model's own error if it cannot run on `x`.
    public func latency(on x: Tensor, repeats: Int = 20, warmUp: Int = 2) throws -> Double {
        guard repeats >= 1, warmUp >= 0 else {
            throw NNError.invalidArgument(
                function: "latency",
                message: "needs repeats ≥ 1 and warmUp ≥ 0, got \(repeats) and \(warmUp)")
        }
        var seconds: [Double] = []
        seconds.reserveCapacity(repeats)
        try evaluating {
            try withoutGradient {
                for _ in 0..<warmUp { _ = try self(x) }
                for _ in 0..<repeats {
                    let start = ContinuousClock.now
                    _ = try self(x)
                    let elapsed = ContinuousClock.now - start
                    seconds.append(
                        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds)
                            * 1e-18)
                }
            }
        }
        seconds.sort()
        let middle = seconds.count / 2
        return seconds.count % 2 == 1
            ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2
    }
}
