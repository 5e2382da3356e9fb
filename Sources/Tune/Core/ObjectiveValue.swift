/// What an objective may return: one number, or one per objective of a multi-objective study.
public protocol ObjectiveValue {
    /// The values, one per direction.
    var objectiveValues: [Double] { get }
}

extension Double: ObjectiveValue {
    /// The single value.
    public var objectiveValues: [Double] { [self] }
}

extension Float: ObjectiveValue {
    /// The single value.
    public var objectiveValues: [Double] { [Double(self)] }
}

extension Int: ObjectiveValue {
    /// The single value.
    public var objectiveValues: [Double] { [Double(self)] }
}

extension Array: ObjectiveValue where Element == Double {
    /// The values.
    public var objectiveValues: [Double] { self }
}
