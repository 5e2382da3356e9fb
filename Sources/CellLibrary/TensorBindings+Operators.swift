import Cell
import Tensor

/// `+ - * /` between tensors, numbers and arrays (Int and Double promote, integer tensors become
/// Float32), unary minus, and elementwise comparisons `< <= > >= == !=` that give 0/1 Float32
/// masks, as NumPy and PyTorch do: `(logits.argmax(alongAxis: 1) == y).mean()` is an accuracy.
extension TensorBindings {
    static func installOperators(into registry: Registry) {
        let arithmetic: [(op: String, apply: (Tensor, Tensor) throws -> Tensor)] = [
            ("+", { try $0 + $1 }), ("-", { try $0 - $1 }), ("*", { try $0 * $1 }),
            ("/", { try $0 / $1 }),
        ]
        for (op, apply) in arithmetic {
            for (lhs, rhs) in [("Tensor", "Tensor"), ("Tensor", "Any"), ("Any", "Tensor")] {
                registry.binaryOperator(op, lhs: lhs, rhs: rhs) { left, right, session in
                    try session.wrap(apply(try operand(left), try operand(right)))
                }
            }
        }
        let comparisons: [(op: String, apply: (Tensor, Tensor) throws -> Tensor)] = [
            ("<", { try $0 .< $1 }), ("<=", { try $0 .<= $1 }), (">", { try $0 .> $1 }),
            (">=", { try $0 .>= $1 }), ("==", { try $0 .== $1 }), ("!=", { try $0 .!= $1 }),
        ]
        for (op, apply) in comparisons {
            for (lhs, rhs) in [("Tensor", "Tensor"), ("Tensor", "Double"), ("Double", "Tensor")] {
                registry.binaryOperator(op, lhs: lhs, rhs: rhs) { left, right, session in
                    try session.wrap(apply(try operand(left), try operand(right)))
                }
            }
        }
        registry.prefixOperator("-", operand: "Tensor") { value, session in
            try session.wrap(-(try operand(value)))
        }
        registry.prefixOperator("+", operand: "Tensor") { value, _ in value }
    }

    /// An operand as a Float32 tensor.
    private static func operand(_ value: Value) throws -> Tensor {
        try TensorConversion.float(TensorConversion.tensor(from: value))
    }
}
