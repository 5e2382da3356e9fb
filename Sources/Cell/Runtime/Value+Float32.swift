/// Float32 numbers entering the cell language.
///
/// Tensors, parameters and learning rates are Float32; the language's numbers are Double.
/// Widening a Float exactly would print float noise (`Float(1e-5)` is
/// 9.999999747378752e-06 as a Double), so a Float32 value becomes the Double nearest to the
/// shortest decimal that reads back as the same Float — what `print` of a float32 shows in
/// PyTorch and NumPy (`1e-05`, `0.1`). The Double still rounds back to the same Float.
extension Value {
    /// A Float32 value as a cell number: `.float32(1e-5)` prints `1e-05`.
    ///
    /// - Parameter value: a Float32 from a tensor, parameter or setting.
    public static func float32(_ value: Float) -> Value {
        .double(value.shortestDecimal)
    }

    /// A loss or metric computed from Float32 values (a mean of float32 batch losses, an
    /// accuracy), at the precision it has: `.metric(0.47120001912117004)` prints `0.4712`.
    ///
    /// - Parameter value: the metric as the training loop keeps it.
    public static func metric(_ value: Double) -> Value {
        .float32(Float(value))
    }
}

extension Float {
    /// The Double nearest to this Float's shortest decimal representation (Swift's
    /// `description`, the shortest form that reads back as the same Float): `Float(0.1)` gives
    /// 0.1, not 0.10000000149011612. Infinities and NaN stay what they are.
    public var shortestDecimal: Double {
        guard isFinite, let decimal = Double(description) else { return Double(self) }
        return decimal
    }
}
