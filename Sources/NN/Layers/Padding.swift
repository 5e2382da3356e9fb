import Tensor

/// How a convolution pads its input: `.valid` (none), `.same` (the output keeps the input's
/// height and width; stride 1 only, as in PyTorch) or an explicit amount on each side.
///
/// ```swift
/// try Conv2D(1, 32, kernelSize: 3, padding: .same)
/// try Conv2D(1, 32, kernelSize: 3, padding: 1)     // an integer literal is explicit padding
/// ```
public enum Padding: Sendable, Hashable, ExpressibleByIntegerLiteral {
    /// No padding.
    case valid
    /// Enough zero padding that a stride-1 convolution keeps the spatial size; an odd total
    /// puts the extra row or column at the bottom or right, as PyTorch does.
    case same
    /// This many zeros on each side (height, width).
    case explicit(Size2D)

    /// Explicit padding of `value` on every side.
    public init(integerLiteral value: Int) {
        self = .explicit(Size2D(value))
    }

    /// "valid", "same" or "(1, 1)", as recorded in architectures.
    public var name: String {
        switch self {
        case .valid: return "valid"
        case .same: return "same"
        case .explicit(let size): return "\(size.height),\(size.width)"
        }
    }

    /// The padding spelled `name` (see `name`), or nil.
    public init?(named name: String) {
        switch name {
        case "valid": self = .valid
        case "same": self = .same
        default:
            let parts = name.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 2 else { return nil }
            self = .explicit(Size2D(height: parts[0], width: parts[1]))
        }
    }

    /// The symmetric padding to pass to the convolution and the extra (bottom, right) padding
    /// to add to the input first, for a kernel of `kernel` with `dilation`.
    public func resolved(kernel: Size2D, dilation: Size2D) -> (symmetric: Size2D, extra: Size2D) {
        switch self {
        case .valid:
            return (0, 0)
        case .explicit(let size):
            return (size, 0)
        case .same:
            let totalHeight = dilation.height * (kernel.height - 1)
            let totalWidth = dilation.width * (kernel.width - 1)
            return (
                Size2D(height: totalHeight / 2, width: totalWidth / 2),
                Size2D(height: totalHeight % 2, width: totalWidth % 2)
            )
        }
    }
}
