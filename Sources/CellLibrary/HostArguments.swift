import Cell
import Data
import NN
import Plot
import Tensor

// Library types a binding's parameter can be declared as (`Param<Dataset>`,
// `Param<Regularizer?>`): each says the name it is registered under, which the registry checks.

extension Tensor: HostArgument {
    /// `Tensor`.
    public static let cellTypeName = "Tensor"
}

extension Dataset: HostArgument {
    /// `Dataset`.
    public static let cellTypeName = "Dataset"
}

extension History: HostArgument {
    /// `History`.
    public static let cellTypeName = "History"
}

extension Gradients: HostArgument {
    /// `Gradients`.
    public static let cellTypeName = "Gradients"
}

extension DType: HostArgument {
    /// `DType`.
    public static let cellTypeName = "DType"
}

extension Initializer: HostArgument {
    /// `Initializer`.
    public static let cellTypeName = "Initializer"
}

extension MonitorMode: HostArgument {
    /// `MonitorMode`.
    public static let cellTypeName = "MonitorMode"
}

extension Normalization: HostArgument {
    /// `Normalization`.
    public static let cellTypeName = "Normalization"
}

extension Padding: HostArgument {
    /// `Padding`.
    public static let cellTypeName = "Padding"
}

extension Reduction: HostArgument {
    /// `Reduction`.
    public static let cellTypeName = "Reduction"
}

extension Regularizer: HostArgument {
    /// `Regularizer`.
    public static let cellTypeName = "Regularizer"
}

extension Constraint: HostArgument {
    /// `Constraint`.
    public static let cellTypeName = "Constraint"
}

extension Activation: HostArgument {
    /// `Activation`.
    public static let cellTypeName = "Activation"
}

extension Augmentation: HostArgument {
    /// `Augmentation`.
    public static let cellTypeName = "Augmentation"
}

extension AxisScale: HostArgument {
    /// `AxisScale`.
    public static let cellTypeName = "AxisScale"
}

extension Chart: HostArgument {
    /// `Chart`.
    public static let cellTypeName = "Chart"
}

extension Loss: HostArgument {
    /// `Loss`.
    public static let cellTypeName = "Loss"
}

extension Metric: HostArgument {
    /// `Metric`.
    public static let cellTypeName = "Metric"
}

extension ParameterGroup: HostArgument {
    /// `ParameterGroup`.
    public static let cellTypeName = "ParameterGroup"
}

extension ReductionOperation: HostArgument {
    /// `ReductionOp`: `.sum`, `.mean`, `.max` (cluster ranks' `allReduce`).
    public static let cellTypeName = "ReductionOp"
}

extension DataParallel: HostArgument {
    /// `Distribution`: `fit(…, distributed: .dataParallel)`.
    public static let cellTypeName = "Distribution"
}
