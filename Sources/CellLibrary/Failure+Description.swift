/// Cell errors as text inside library messages: when training code wraps an error thrown by
/// cell code (a user layer's `callAsFunction`, a closure loss) into its own ("fit (epoch 1,
/// batch 3 of 469): …"), the cell's error reads as the cell reports it.
import Cell

extension Failure: CustomStringConvertible {
    /// "TypeError: cannot add values of type Int and String".
    package var description: String { error.description }
}

extension CellError: CustomStringConvertible {
    /// "TypeError: cannot add values of type Int and String".
    public var description: String { "\(name): \(message)" }
}
